/* The newsroom's screens work without this script. With it: buttons with
** data-confirm ask before actions that cannot be undone; pictures can be
** dropped on upload fields; the editor uploads a picture in place (as the
** featured picture, or into the text) and inserts a library picture into
** the text at the cursor; the editor autosaves a few seconds after typing
** stops (to the server, or to this browser's storage when that fails),
** offers back what only the browser kept, asks before leaving unsaved
** changes, refreshes the preview beside the text, counts words, and takes
** Ctrl+S (save) and Ctrl+Shift+P (preview); the article list ticks every
** box at once. */
(function () {
  'use strict';

  function confirmButtons() {
    var buttons = document.querySelectorAll('[data-confirm]');
    var i;
    for (i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener('click', function (event) {
        if (!window.confirm(this.getAttribute('data-confirm'))) {
          event.preventDefault();
        }
      });
    }
  }

  /* A zone that takes a dropped file into its file input. */
  function dropZone(zone) {
    var input = zone.querySelector('input[type="file"]');
    var hint = zone.querySelector('.drop-hint');
    if (!input) {
      return;
    }
    if (hint) {
      hint.hidden = false;
    }
    zone.addEventListener('dragover', function (event) {
      event.preventDefault();
      zone.classList.add('dragging');
    });
    zone.addEventListener('dragleave', function () {
      zone.classList.remove('dragging');
    });
    zone.addEventListener('drop', function (event) {
      event.preventDefault();
      zone.classList.remove('dragging');
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        input.dispatchEvent(new Event('change'));
      }
    });
  }

  /* The library's upload form refuses a file over the limit at once. */
  function uploadForm(form) {
    var max = Number(form.getAttribute('data-max-bytes'));
    form.addEventListener('submit', function (event) {
      var input = form.querySelector('input[type="file"]');
      var file = input && input.files[0];
      if (file && max && file.size > max) {
        event.preventDefault();
        window.alert(form.getAttribute('data-too-large'));
      }
    });
  }

  /* Markdown that places library picture id with alt text alt. */
  function pictureMarkdown(id, alt) {
    return '![' + String(alt).replace(/([\\[\]])/g, '\\$1') + '](/media/' + id + ')';
  }

  /* Puts text into the textarea at its cursor, on a paragraph of its own. */
  function insertAtCursor(area, text) {
    var start = area.selectionStart;
    var end = area.selectionEnd;
    var before = area.value.slice(0, start);
    var after = area.value.slice(end);
    var lead = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? '\n' : '\n\n') : '';
    var tail = after && !/^\n\n/.test(after) ? (/^\n/.test(after) ? '\n' : '\n\n') : '';
    area.value = before + lead + text + tail + after;
    var at = (before + lead + text).length;
    area.setSelectionRange(at, at);
    area.focus();
  }

  /* Adds picture p ({id, alt, filename}) as a choice to select. */
  function addChoice(select, p) {
    if (!select) {
      return;
    }
    var option = document.createElement('option');
    option.value = String(p.id);
    option.textContent = p.alt + ' (' + p.filename + ', #' + p.id + ')';
    option.setAttribute('data-alt', p.alt);
    select.appendChild(option);
  }

  /* Shows picture p as the featured picture's thumbnail. */
  function showFeatured(box, p) {
    if (!box) {
      return;
    }
    box.textContent = '';
    if (p.thumb_url) {
      var img = document.createElement('img');
      img.src = p.thumb_url;
      img.alt = p.alt;
      img.className = 'media-thumb';
      box.appendChild(img);
    }
  }

  /* The editor's upload area: uploads the chosen file with its words and
  ** makes it the featured picture, or inserts it into the text. */
  function pictureUpload(area) {
    var status = area.querySelector('.upload-status');
    var file = area.querySelector('input[type="file"]');
    var alt = area.querySelector('#picture-alt');
    var caption = area.querySelector('#picture-caption');
    var credit = area.querySelector('#picture-credit');
    var featured = document.getElementById('article-image');
    var insertChoice = document.getElementById('insert-picture-choice');
    var body = document.getElementById('article-body');
    var max = Number(area.getAttribute('data-max-bytes'));
    area.hidden = false;

    function say(text) {
      status.textContent = text;
    }

    function send(how) {
      var chosen = file.files[0];
      if (!chosen) {
        file.focus();
        return;
      }
      if (max && chosen.size > max) {
        say(area.getAttribute('data-too-large'));
        return;
      }
      if (!alt.value.trim()) {
        say(area.getAttribute('data-needs-alt'));
        alt.focus();
        return;
      }
      var form = new FormData();
      form.append('csrf', area.getAttribute('data-csrf'));
      form.append('file', chosen);
      form.append('alt', alt.value.trim());
      form.append('caption', caption.value.trim());
      form.append('credit', credit.value.trim());
      say(area.getAttribute('data-uploading'));
      fetch('/admin/media', {
        method: 'POST', body: form, credentials: 'same-origin',
        headers: { Accept: 'application/json' }
      }).then(function (res) {
        return res.json().then(function (doc) {
          return { ok: res.status === 201, doc: doc };
        }, function () {
          return { ok: false, doc: {} };
        });
      }).then(function (r) {
        if (!r.ok) {
          say(r.doc.error || area.getAttribute('data-failed'));
          return;
        }
        addChoice(featured, r.doc);
        addChoice(insertChoice, r.doc);
        if (how === 'featured') {
          featured.value = String(r.doc.id);
          showFeatured(document.querySelector('[data-picture-current]'), r.doc);
        } else {
          insertAtCursor(body, pictureMarkdown(r.doc.id, r.doc.alt));
        }
        say(r.doc.filename + ' (#' + r.doc.id + ')');
        file.value = '';
        alt.value = '';
        caption.value = '';
        credit.value = '';
      }, function () {
        say(area.getAttribute('data-failed'));
      });
    }

    var buttons = area.querySelectorAll('[data-upload]');
    var i;
    for (i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener('click', function () {
        send(this.getAttribute('data-upload'));
      });
    }
  }

  /* The editor's "insert a picture" control. */
  function insertPicture(box) {
    var select = box.querySelector('select');
    var body = document.getElementById('article-body');
    box.hidden = false;
    box.querySelector('[data-insert]').addEventListener('click', function () {
      var option = select.options[select.selectedIndex];
      if (option) {
        insertAtCursor(body, pictureMarkdown(option.value, option.getAttribute('data-alt')));
      }
    });
  }


  var AUTOSAVE_DELAY = 2500; /* ms after the last keystroke */

  /* The key under which this browser keeps the form's unsent changes. */
  function localKey(form) {
    return 'gazette-draft:' + form.getAttribute('data-user') + ':' +
      form.getAttribute('data-article');
  }

  /* The form's fields as [name, value] pairs, as a submit would send them. */
  function formPairs(form) {
    var pairs = [];
    var data = new FormData(form);
    data.forEach(function (value, name) {
      if (typeof value === 'string' && name !== 'action') {
        pairs.push([name, value]);
      }
    });
    return pairs;
  }

  /* Reads stored draft d ({pairs, at}) back into the form's fields. */
  function applyPairs(form, pairs) {
    var seen = {};
    var i, el;
    var boxes = form.querySelectorAll('input[type="checkbox"]');
    for (i = 0; i < boxes.length; i++) {
      boxes[i].checked = false;
    }
    for (i = 0; i < pairs.length; i++) {
      el = form.querySelectorAll('[name="' + pairs[i][0] + '"]');
      if (!el.length || pairs[i][0] === 'csrf' || pairs[i][0] === 'version') {
        continue;
      }
      if (el[0].type === 'checkbox') {
        Array.prototype.forEach.call(el, function (box) {
          if (box.value === pairs[i][1]) {
            box.checked = true;
          }
        });
      } else if (!seen[pairs[i][0]]) {
        el[0].value = pairs[i][1];
        seen[pairs[i][0]] = true;
      }
    }
  }

  /* Counts the words of text as the server does. */
  function countWords(text) {
    var m = text.match(/[^\s]*[0-9A-Za-z\u0080-\uffff][^\s]*/g);
    return m ? m.length : 0;
  }

  /* The editor: autosave, the browser's copy, the leave warning, the
  ** preview beside the text, the word count and the shortcuts. */
  function editor(form) {
    var status = form.querySelector('[data-autosave-status]');
    var body = document.getElementById('article-body');
    var count = document.getElementById('word-count');
    var panes = document.querySelector('[data-editor-panes]');
    var preview = document.querySelector('[data-preview]');
    var frame = document.querySelector('[data-preview-frame]');
    var offer = document.querySelector('[data-local-restore]');
    var key = localKey(form);
    var dirty = false;
    var submitting = false;
    var timer = null;
    var sending = false;
    var again = false;

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function keepLocally() {
      try {
        window.localStorage.setItem(key, JSON.stringify({ pairs: formPairs(form), at: Date.now() }));
      } catch (e) { /* storage full or refused: the server copy remains */ }
    }

    function dropLocal() {
      try {
        window.localStorage.removeItem(key);
      } catch (e) { /* nothing kept */ }
    }

    function updateCount() {
      var words = countWords(body.value);
      var pattern = count.getAttribute('data-pattern');
      count.textContent = pattern.replace('{words}', String(words))
        .replace('{minutes}', String(words ? Math.ceil(words / 200) : 0));
    }

    function wide() {
      return window.matchMedia('(min-width: 70rem)').matches;
    }

    function showPreview() {
      if (preview && wide()) {
        preview.hidden = false;
        panes.classList.add('with-preview');
      }
    }

    /* On a narrow screen the text and its preview are two tabs. */
    function tabs() {
      var list = document.createElement('div');
      var write = document.createElement('button');
      var look = document.createElement('button');
      list.setAttribute('role', 'tablist');
      list.className = 'editor-tabs';
      list.setAttribute('aria-label', form.getAttribute('data-tabs'));
      [[write, form, 'data-tab-write'], [look, preview, 'data-tab-preview']].forEach(function (t) {
        t[0].type = 'button';
        t[0].setAttribute('role', 'tab');
        t[0].className = 'editor-tab';
        t[0].textContent = form.getAttribute(t[2]);
        if (!t[1].id) {
          t[1].id = 'pane-' + t[2];
        }
        t[0].setAttribute('aria-controls', t[1].id);
        list.appendChild(t[0]);
      });
      function choose(showPreviewTab) {
        write.setAttribute('aria-selected', String(!showPreviewTab));
        look.setAttribute('aria-selected', String(showPreviewTab));
        if (wide()) {
          form.hidden = false;
          return;
        }
        form.hidden = showPreviewTab;
        preview.hidden = !showPreviewTab;
        if (showPreviewTab && frame) {
          frame.src = form.getAttribute('data-preview-url') + '&t=' + Date.now();
        }
      }
      write.addEventListener('click', function () { choose(false); });
      look.addEventListener('click', function () {
        if (timer) {
          window.clearTimeout(timer);
          send();
        }
        choose(true);
      });
      panes.parentNode.insertBefore(list, panes);
      choose(!preview.hidden && !wide());
    }

    function send() {
      var pairs;
      timer = null;
      if (sending) {
        again = true;
        return;
      }
      if (!navigator.onLine) {
        keepLocally();
        say(form.getAttribute('data-offline'));
        return;
      }
      sending = true;
      pairs = formPairs(form);
      fetch(form.getAttribute('data-autosave'), {
        method: 'POST', credentials: 'same-origin',
        headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(pairs).toString()
      }).then(function (res) {
        if (res.status !== 200) {
          throw new Error(String(res.status));
        }
        return res.json();
      }).then(function (doc) {
        sending = false;
        dropLocal();
        say(doc.saved_display);
        if (frame) {
          showPreview();
          frame.src = form.getAttribute('data-preview-url') + '&t=' + Date.now();
        }
        if (again) {
          again = false;
          send();
        }
      }, function () {
        sending = false;
        keepLocally();
        say(form.getAttribute('data-autosave-failed'));
      });
    }

    function changed() {
      dirty = true;
      keepLocally();
      updateCount();
      if (timer) {
        window.clearTimeout(timer);
      }
      timer = window.setTimeout(send, AUTOSAVE_DELAY);
    }

    form.addEventListener('input', changed);
    form.addEventListener('change', changed);
    form.addEventListener('submit', function () {
      submitting = true;
      dropLocal();
    });
    window.addEventListener('beforeunload', function (event) {
      if (dirty && !submitting) {
        event.preventDefault();
        event.returnValue = form.getAttribute('data-leave');
        return event.returnValue;
      }
      return undefined;
    });
    window.addEventListener('online', function () {
      if (dirty) {
        send();
      }
    });
    document.addEventListener('keydown', function (event) {
      var k = (event.key || '').toLowerCase();
      var button = null;
      if (!(event.ctrlKey || event.metaKey) || event.altKey) {
        return;
      }
      if (k === 's' && !event.shiftKey) {
        button = form.querySelector('[data-shortcut="s"]');
      } else if (k === 'p' && event.shiftKey) {
        button = form.querySelector('[data-shortcut="p"]');
      }
      if (button) {
        event.preventDefault();
        submitting = true;
        dropLocal();
        if (typeof form.requestSubmit === 'function') {
          form.requestSubmit(button);
        } else {
          button.click();
        }
      }
    });

    /* What this browser kept and the server never got: offer it back. */
    (function () {
      var kept = null;
      try {
        kept = JSON.parse(window.localStorage.getItem(key) || 'null');
      } catch (e) {
        kept = null;
      }
      if (!kept || !offer || !kept.pairs) {
        return;
      }
      offer.hidden = false;
      offer.querySelector('[data-local-apply]').addEventListener('click', function () {
        applyPairs(form, kept.pairs);
        offer.hidden = true;
        changed();
      });
      offer.querySelector('[data-local-drop]').addEventListener('click', function () {
        dropLocal();
        offer.hidden = true;
      });
    }());

    if (count && body) {
      updateCount();
    }
    if (preview && !preview.hidden) {
      panes.classList.add('with-preview');
    }
    if (preview && panes) {
      tabs();
    }
  }

  /* A link that ticks every box of the form named by data-select-all. */
  function selectAll(link) {
    link.addEventListener('click', function (event) {
      var form = document.getElementById(link.getAttribute('data-select-all'));
      var boxes = form ? form.elements : [];
      boxes = Array.prototype.filter.call(boxes, function (el) {
        return el.type === 'checkbox' && el.name === 'id';
      });
      var all = true;
      var i;
      event.preventDefault();
      for (i = 0; i < boxes.length; i++) {
        all = all && boxes[i].checked;
      }
      for (i = 0; i < boxes.length; i++) {
        boxes[i].checked = !all;
      }
    });
  }

  /* The bulk form asks before deleting. */
  function bulkForm(form) {
    form.addEventListener('submit', function (event) {
      var action = form.querySelector('select[name="action"]');
      var button = form.querySelector('[data-confirm-bulk]');
      if (action && action.value === 'delete' &&
          !window.confirm(button.getAttribute('data-confirm-bulk'))) {
        event.preventDefault();
      }
    });
  }

  function init() {
    var i;
    var article = document.getElementById('article-form');
    var alls = document.querySelectorAll('[data-select-all]');
    var bulk = document.getElementById('bulk-form');
    if (article && article.hasAttribute('data-autosave')) {
      editor(article);
    }
    for (i = 0; i < alls.length; i++) {
      selectAll(alls[i]);
    }
    if (bulk) {
      bulkForm(bulk);
    }
    var zones = document.querySelectorAll('[data-drop-zone]');
    var forms = document.querySelectorAll('form.upload-form');
    var uploads = document.querySelectorAll('[data-picture-upload]');
    var inserts = document.querySelectorAll('[data-insert-picture]');
    confirmButtons();
    for (i = 0; i < zones.length; i++) {
      dropZone(zones[i]);
    }
    for (i = 0; i < forms.length; i++) {
      uploadForm(forms[i]);
    }
    for (i = 0; i < uploads.length; i++) {
      pictureUpload(uploads[i]);
    }
    for (i = 0; i < inserts.length; i++) {
      insertPicture(inserts[i]);
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
