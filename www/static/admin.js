/* The newsroom's screens work without this script. With it: buttons with
** data-confirm ask before actions that cannot be undone; pictures can be
** dropped on upload fields; the editor uploads a picture in place (as the
** featured picture, or into the text) and inserts a library picture into
** the text at the cursor. */
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

  function init() {
    var i;
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
