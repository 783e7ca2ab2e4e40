from threads.cli import main

main()
