(function () {
'use strict';

// A folded page keeps its threads as text in a <noscript> until opened: build them.
function expand(details) {
  var n = details.querySelector(':scope>noscript');
  if (!n) { return; }
  var t = document.createElement('template');
  t.innerHTML = n.textContent;
  n.replaceWith(t.content);
}
document.addEventListener('toggle', function (e) { if (e.target.open) { expand(e.target); } }, true);

function openTarget() {
  var id = location.hash.slice(1);
  if (!id) { return; }
  var t = document.getElementById(id);
  if (!t) {
    var key = 'id="' + id + '"', ns = document.querySelectorAll('details>noscript');
    for (var i = 0; i < ns.length; i++) {
      if (ns[i].textContent.indexOf(key) >= 0) { expand(ns[i].parentElement); break; }
    }
    t = document.getElementById(id);
  }
  if (!t) { return; }
  triage.reveal(t);
  document.querySelectorAll('.target').forEach(function (e) { e.classList.remove('target'); });
  t.classList.add('target');
  for (var e = t; e; e = e.parentElement) { if (e.tagName === 'DETAILS') { e.open = true; } }
  t.scrollIntoView();
}

var printed = [];
window.addEventListener('beforeprint', function () {
  var first = document.querySelector('details.page');
  if (first) { expand(first); }
  document.querySelectorAll('details.data,details.thread,details.page').forEach(function (d) {
    if (!d.open && (d === first || !d.classList.contains('page'))) { d.open = true; printed.push(d); }
  });
});
window.addEventListener('afterprint', function () {
  printed.forEach(function (d) { d.open = false; });
  printed = [];
});

// Triage: filter the tree, sort the matches, count them, copy or download their ids. Every
// figure comes from the data-* attributes the report wrote on each comment.
var triage = (function () {
  var form = document.getElementById('triage');
  var tree = document.getElementById('all-comments');
  if (!form || !tree) { return { reveal: function () {} }; }
  var field = function (name) { return form.elements.namedItem(name); };
  var count = document.getElementById('triage-count');
  var said = document.getElementById('triage-said');
  var total = Number(form.dataset.total);
  var limit = Number(form.dataset.sortedLimit);
  var number = function (n) { return n.toLocaleString('en-US'); };
  var list = document.createElement('ol');
  list.id = 'triage-sorted';
  list.className = 'tree sorted';
  list.hidden = true;
  list.setAttribute('aria-labelledby', 'triage-count');
  tree.parentNode.insertBefore(list, tree);
  var ORDERS = {
    'similarity': function (a, b) { return a.dataset.similarity - b.dataset.similarity; },
    '-similarity': function (a, b) { return b.dataset.similarity - a.dataset.similarity; },
    'sentiment': function (a, b) { return a.dataset.sentiment - b.dataset.sentiment; },
    '-sentiment': function (a, b) { return b.dataset.sentiment - a.dataset.sentiment; },
    '-replies': function (a, b) { return b.dataset.replies - a.dataset.replies; }
  };
  var current = [];  // the comments selected, in the order shown

  function query() {
    var words = field('words').value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    return {
      flag: field('flag').value, commenter: field('commenter').value,
      topic: field('topic').value, words: words, order: field('order').value
    };
  }
  function filtering(q) { return Boolean(q.flag || q.commenter || q.topic || q.words.length); }
  function text(li) {
    var parts = [];
    li.querySelectorAll(':scope>p').forEach(function (p) { parts.push(p.textContent); });
    return parts.join('\n').toLocaleLowerCase();
  }
  function matches(li, q) {
    var d = li.dataset;
    if (q.flag === 'disagrees') { if (!li.classList.contains('disagrees')) { return false; } }
    else if (q.flag === 'labelled') { if (!d.label) { return false; } }
    else if (q.flag && d.judgement !== q.flag) { return false; }
    if (q.commenter && d.commenter !== q.commenter) { return false; }
    if (q.topic && d.topic !== q.topic) { return false; }
    if (q.words.length) {
      var own = text(li);
      for (var i = 0; i < q.words.length; i++) { if (own.indexOf(q.words[i]) < 0) { return false; } }
    }
    return true;
  }
  function everything() {
    document.querySelectorAll('details.page').forEach(expand);
    return Array.prototype.slice.call(tree.querySelectorAll('li[data-id]'));
  }

  function showTree(all, q) {
    var active = filtering(q), kept = new Set();
    for (var i = all.length - 1; i >= 0; i--) {  // replies before the comments they answer
      var li = all[i], match = !active || matches(li, q), keep = match || kept.has(li);
      li.hidden = !keep;
      li.classList.toggle('context', keep && !match);
      if (keep) {
        if (match) { current.push(li); }
        var parent = li.parentElement.parentElement;
        if (parent.tagName === 'LI') { kept.add(parent); }
      }
    }
    current.reverse();
    if (!active) { return; }
    tree.querySelectorAll('details.thread, details.page').forEach(function (d) {
      var any = d.querySelector('li[data-id]:not([hidden])') !== null;
      d.hidden = !any;
      if (any) { d.open = true; }
    });
  }
  function unfilterTree() {
    tree.querySelectorAll('[hidden]').forEach(function (e) { e.hidden = false; });
    tree.querySelectorAll('li.context').forEach(function (e) { e.classList.remove('context'); });
  }
  function showSorted(all, q) {
    current = all.filter(function (li) { return matches(li, q); });
    var at = new Map(current.map(function (li, i) { return [li, i]; }));
    current.sort(function (a, b) { return ORDERS[q.order](a, b) || at.get(a) - at.get(b); });
    list.textContent = '';
    current.slice(0, limit).forEach(function (li) {
      var item = document.createElement('li');
      if (li.classList.contains('off-topic')) { item.className = 'off-topic'; }
      li.querySelectorAll(':scope>.m, :scope>.pn, :scope>.f, :scope>p').forEach(function (e) {
        item.appendChild(e.cloneNode(true));
      });
      var link = document.createElement('a');
      link.href = '#' + li.id;
      link.textContent = 'Show #' + li.dataset.id + ' in its thread';
      var p = document.createElement('p');
      p.className = 'in-thread';
      p.appendChild(link);
      item.appendChild(p);
      list.appendChild(item);
    });
  }

  function apply() {
    var q = query(), sorting = Boolean(ORDERS[q.order]);
    current = [];
    said.textContent = '';
    if (!filtering(q) && !sorting) {
      unfilterTree();
      list.hidden = true;
      list.textContent = '';
      tree.hidden = false;
      current = null;  // everything: gathered (and folded pages built) only when asked for
      count.textContent = number(total) + ' of ' + number(total) + ' comments shown';
      return;
    }
    var all = everything();
    if (sorting) {
      unfilterTree();
      showSorted(all, q);
    } else {
      list.hidden = true;
      list.textContent = '';
      showTree(all, q);
    }
    tree.hidden = sorting;
    list.hidden = !sorting;
    var n = current.length, shown = sorting ? Math.min(n, limit) : n;
    count.textContent = number(shown) + ' of ' + number(total) + ' comments shown' +
      (sorting ? ', ' + form.querySelector('#triage-order option:checked').textContent : '') +
      (shown < n ? ' (' + number(n) + ' match: the copied ids and the CSV hold them all)' : '');
  }

  function selection() { return current === null ? everything() : current; }
  function csvCell(value) {
    var s = String(value);
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  // A text a spreadsheet would run as a formula gets an apostrophe first (as the report's
  // own CSV writes it); numbers are left as they are.
  function textCell(value) { return /^'*[=+\-@\t\r]/.test(value) ? "'" + value : value; }
  function csv() {
    var rows = [['id', 'author', 'topic', 'judgement', 'similarity', 'sentiment', 'replies', 'label', 'link']];
    selection().forEach(function (li) {
      var d = li.dataset, author = li.querySelector(':scope>.m>b');
      rows.push([textCell(d.id), textCell(author ? author.textContent : ''), d.topic, d.judgement,
        d.similarity, d.sentiment, d.replies, d.label || '', '#' + li.id].map(csvCell));
    });
    return rows.map(function (r) { return r.join(','); }).join('\r\n') + '\r\n';
  }
  function ids() { return selection().map(function (li) { return li.dataset.id; }); }

  function copyIds() {
    var chosen = ids(), textValue = chosen.join('\n');
    var done = function () { said.textContent = 'Copied ' + number(chosen.length) + ' ids.'; };
    var fallback = function () {
      var area = document.createElement('textarea');
      area.value = textValue;
      area.setAttribute('readonly', '');
      area.className = 'offscreen';
      form.appendChild(area);
      area.select();
      var ok = document.execCommand('copy');
      area.remove();
      if (ok) { done(); } else { said.textContent = 'Copying was refused: use Download as CSV.'; }
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(textValue).then(done, fallback);
    } else { fallback(); }
  }
  function downloadCsv() {
    var rows = selection().length;
    var url = URL.createObjectURL(new Blob([csv()], { type: 'text/csv;charset=utf-8' }));
    var a = document.createElement('a');
    var page = decodeURIComponent(location.pathname.split('/').pop()).replace(/\.html?$/, '');
    a.href = url;
    a.download = (page || 'threads-report') + '-selection.csv';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    said.textContent = 'Downloaded ' + number(rows) + ' comments as CSV.';
  }
  function clear() {
    form.reset();
    apply();
  }

  var pending = null;
  form.addEventListener('input', function (e) {
    clearTimeout(pending);
    if (e.target.type === 'search') { pending = setTimeout(apply, 200); } else { apply(); }
  });
  form.addEventListener('submit', function (e) { e.preventDefault(); clearTimeout(pending); apply(); });
  document.getElementById('triage-copy').addEventListener('click', copyIds);
  document.getElementById('triage-csv').addEventListener('click', downloadCsv);
  document.getElementById('triage-clear').addEventListener('click', clear);
  form.hidden = false;
  apply();

  return {
    // A link to a comment the triage hides: back to the tree, and the filters cleared when
    // they hide it, said in the status line.
    reveal: function (target) {
      if (!tree.contains(target) || target.tagName !== 'LI') { return; }
      var q = query();
      if (ORDERS[q.order]) { field('order').value = ''; apply(); }
      if (target.hidden || target.closest('[hidden]')) {
        clear();
        said.textContent = 'Filters cleared to show comment #' + target.dataset.id + '.';
      }
    }
  };
}());

window.addEventListener('hashchange', openTarget);
// A link to the comment already in the address changes no hash: open it all the same (the
// triage may have hidden it since).
document.addEventListener('click', function (e) {
  var a = e.target.closest && e.target.closest('a[href^="#"]');
  if (a && a.hash === location.hash) { e.preventDefault(); openTarget(); }
});
openTarget();
}());
