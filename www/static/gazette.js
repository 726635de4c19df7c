/*
** gazette.js: small enhancements of the reader pages.
**
** Every page works without this script; it only adds comfort:
**   - the "back to top" button appears once the reader has scrolled down,
**     and scrolls smoothly (unless reduced motion is asked for);
**   - "reply" links under comments fill the reply form in place;
**   - the rating form is not sent twice by a double click.
** Each part does nothing when its elements are missing from the page.
*/
(function () {
  'use strict';

  var SHOW_AFTER = 400; /* pixels scrolled before the button shows */

  /* True when the reader asked the system for less motion. */
  function prefersReducedMotion() {
    return typeof window.matchMedia === 'function' &&
      window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  }

  /* Scrolls the window to y, smoothly unless reduced motion is asked for. */
  function scrollToY(y) {
    var behavior = prefersReducedMotion() ? 'auto' : 'smooth';
    try {
      window.scrollTo({ top: y, behavior: behavior });
    } catch (e) {
      window.scrollTo(0, y);
    }
  }

  /* Moves keyboard focus to el without making the page jump. */
  function focusQuietly(el) {
    if (!el || typeof el.focus !== 'function') {
      return;
    }
    try {
      el.focus({ preventScroll: true });
    } catch (e) {
      el.focus();
    }
  }

  /* Wires the back-to-top button: hidden near the top of the page, shown
  ** past SHOW_AFTER pixels; a click scrolls up and focuses the top. */
  function initBackToTop() {
    var button = document.getElementById('back-to-top');
    var top = document.getElementById('top');
    var pending = false;

    if (!button) {
      return;
    }

    function update() {
      var y = window.pageYOffset || document.documentElement.scrollTop || 0;
      pending = false;
      button.classList.toggle('is-hidden', y < SHOW_AFTER);
    }

    function onScroll() {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(update);
      }
    }

    button.classList.add('is-floating');
    window.addEventListener('scroll', onScroll, { passive: true });
    update();

    button.addEventListener('click', function (event) {
      event.preventDefault();
      scrollToY(0);
      if (top) {
        if (!top.hasAttribute('tabindex')) {
          top.setAttribute('tabindex', '-1');
        }
        focusQuietly(top);
      }
    });
  }

  /* Returns the value of query parameter name in the page address, or ''. */
  function queryParam(name) {
    var pairs = window.location.search.replace(/^\?/, '').split('&');
    var i, kv;
    for (i = 0; i < pairs.length; i++) {
      kv = pairs[i].split('=');
      if (decodeURIComponent(kv[0] || '') === name) {
        return decodeURIComponent((kv[1] || '').replace(/\+/g, ' '));
      }
    }
    return '';
  }

  /* Returns text with runs of white space made single spaces, trimmed. */
  function squeeze(text) {
    return String(text || '').replace(/\s+/g, ' ').trim();
  }

  /* Points the reply form at the comment whose reply link is link:
  ** sets the hidden parent field and says whom the reader answers. */
  function chooseParent(form, link) {
    var parent = form.querySelector('input[name="parent"]');
    var note = document.getElementById('replying-to');
    var author;
    if (!parent) {
      return false;
    }
    parent.value = link.getAttribute('data-reply-to') || '';
    if (note) {
      author = document.getElementById(link.getAttribute('aria-describedby') || '');
      showReplyingTo(form, note, author ? squeeze(author.textContent) : '');
    }
    return true;
  }

  /* Says in note whom the reply form answers (name) and offers to cancel:
  ** the form then answers the article again. */
  function showReplyingTo(form, note, name) {
    var who = document.createElement('bdi');
    var cancel = document.createElement('button');
    note.textContent = (note.getAttribute('data-label') || '') + ' ';
    who.textContent = name;
    note.appendChild(who);
    note.appendChild(document.createTextNode(' · '));
    cancel.type = 'button';
    cancel.className = 'link-button cancel-reply';
    cancel.textContent = note.getAttribute('data-cancel') || '';
    cancel.addEventListener('click', function () {
      var parent = form.querySelector('input[name="parent"]');
      if (parent) {
        parent.value = '';
      }
      note.textContent = '';
    });
    note.appendChild(cancel);
  }

  /* Wires the "reply" links of comments to the reply form, and honours a
  ** ?replyto=ID in the address when the page was loaded by such a link. */
  function initReplies() {
    var form = document.getElementById('reply');
    var links, wanted, i;

    if (!form) {
      return;
    }
    links = document.querySelectorAll('a[data-reply-to]');
    for (i = 0; i < links.length; i++) {
      links[i].addEventListener('click', function (event) {
        var field;
        if (!chooseParent(form, this)) {
          return;
        }
        event.preventDefault();
        scrollToY(form.getBoundingClientRect().top + window.pageYOffset);
        field = form.querySelector('textarea[name="body"]');
        focusQuietly(field);
      });
    }

    wanted = queryParam('replyto');
    if (wanted) {
      for (i = 0; i < links.length; i++) {
        if (links[i].getAttribute('data-reply-to') === wanted) {
          chooseParent(form, links[i]);
          break;
        }
      }
    }
  }

  /* Sends a JSON request to the site's API; calls done(status, body)
  ** with the parsed answer (null when it is not JSON), or done(0, null)
  ** when the network failed. */
  function api(method, url, payload, done) {
    var opts = {
      method: method,
      credentials: 'same-origin',
      headers: { 'Accept': 'application/json' }
    };
    if (payload !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      /* A refused write explains itself in the page's language. */
      opts.headers['Accept-Language'] = document.documentElement.lang || 'en';
      opts.body = JSON.stringify(payload);
    }
    window.fetch(url, opts).then(function (res) {
      return res.json().then(function (body) {
        done(res.status, body);
      }, function () {
        done(res.status, null);
      });
    }, function () {
      done(0, null);
    });
  }

  /* Shows rating figures r (the API's rating object) in the widget. */
  function showRating(widget, r) {
    var stars = widget.querySelectorAll('.stars .star');
    var text = widget.querySelector('.rating-text');
    var box = widget.querySelector('.stars');
    var buttons = widget.querySelectorAll('.rating-button');
    var i, avg, count;
    for (i = 0; i < stars.length && i < r.stars.length; i++) {
      stars[i].className = 'star ' + r.stars[i].state;
    }
    if (box) {
      box.setAttribute('aria-label', box.getAttribute('aria-label')
        .replace(/[0-9.]+ \/ 5$/, r.average_display + ' / 5'));
    }
    if (text) {
      text.textContent = '';
      if (r.count > 0) {
        /* As the page writes them: each figure isolated (<bdi>), so that
        ** "(6 votes)" keeps its order in a right-to-left article. */
        avg = document.createElement('bdi');
        avg.className = 'rating-average';
        avg.textContent = r.average_display;
        count = document.createElement('bdi');
        count.textContent = r.count_display;
        text.appendChild(avg);
        text.appendChild(document.createTextNode(' ('));
        text.appendChild(count);
        text.appendChild(document.createTextNode(')'));
      } else {
        text.textContent = widget.getAttribute('data-no-votes') || '';
      }
    }
    for (i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute('aria-pressed',
        String(r.your_vote !== null && Number(buttons[i].value) === r.your_vote));
    }
  }

  /* The "Rate this post" widget: shows the current figures and the
  ** reader's own vote (fetched, since the page is the same for everyone),
  ** and votes in place. Without script the form posts and comes back. */
  function initRating() {
    var widget = document.getElementById('rating');
    var form = widget && widget.querySelector('form.rating-form');
    var note = widget && widget.querySelector('.rating-note');
    var url = widget && widget.getAttribute('data-api');
    var sending = false;

    if (!form || !url || typeof window.fetch !== 'function') {
      return;
    }
    api('GET', url, undefined, function (status, body) {
      if (status === 200 && body) {
        showRating(widget, body);
      }
    });
    form.addEventListener('submit', function (event) {
      var button = event.submitter || document.activeElement;
      var stars = Number(button && button.value);
      event.preventDefault();
      if (sending || !(stars >= 1 && stars <= 5)) {
        return;
      }
      sending = true;
      form.setAttribute('aria-busy', 'true');
      api('POST', url, { stars: stars }, function (status, body) {
        sending = false;
        form.removeAttribute('aria-busy');
        if (status === 200 && body) {
          showRating(widget, body);
          note.textContent = widget.getAttribute('data-thanks') + ' ' + stars + '/5';
        } else {
          /* A cap reached is told (in the page's language); else to try again. */
          note.textContent = (status === 429 && body && body.detail) || widget.getAttribute('data-failed');
        }
      });
    });
  }

  /* Builds the list item of comment c (the API's comment object), text
  ** only: nothing from the comment is parsed as HTML. */
  function commentItem(form, c) {
    var li = document.createElement('li');
    var card = document.createElement('article');
    var meta = document.createElement('header');
    var name = document.createElement('span');
    var time = document.createElement('time');
    var text = document.createElement('div');
    var replies = document.createElement('ol');
    var held;
    li.className = 'comment';
    li.id = 'comment-' + c.id;
    card.className = 'comment-card';
    meta.className = 'comment-meta';
    name.className = 'comment-author';
    name.setAttribute('dir', 'auto');
    name.textContent = c.author_name;
    time.setAttribute('datetime', c.created_at);
    time.textContent = c.date_display;
    meta.appendChild(name);
    meta.appendChild(document.createTextNode(' '));
    meta.appendChild(time);
    card.appendChild(meta);
    if (c.status === 'held') {
      held = document.createElement('p');
      held.className = 'comment-pending';
      held.textContent = form.getAttribute('data-awaiting');
      card.appendChild(held);
    }
    text.className = 'comment-text';
    text.setAttribute('dir', 'auto');
    text.textContent = c.body;
    card.appendChild(text);
    replies.className = 'comment-replies';
    li.appendChild(card);
    li.appendChild(replies);
    return li;
  }

  /* Puts comment c on the page: under its parent when that is shown, else
  ** at the end of the list. Does nothing when it is already there. */
  function placeComment(form, c) {
    var list = document.querySelector('.comment-list');
    var parent = c.parent_id && document.getElementById('comment-' + c.parent_id);
    var target = parent ? parent.querySelector('.comment-replies') : list;
    var empty = document.querySelector('.comments-empty');
    if (!target || document.getElementById('comment-' + c.id)) {
      return null;
    }
    target.appendChild(commentItem(form, c));
    if (empty) {
      empty.parentNode.removeChild(empty);
    }
    return document.getElementById('comment-' + c.id);
  }

  /* Shows the problems of a refused comment above the form. */
  function showFormError(form, message) {
    var box = document.getElementById('form-errors');
    if (!box) {
      box = document.createElement('div');
      box.id = 'form-errors';
      box.className = 'form-errors';
      box.setAttribute('role', 'alert');
      form.insertBefore(box, form.querySelector('.form-note'));
    }
    box.textContent = message;
  }

  /* The words for a refused comment, as the page says them without
  ** script: "Your comment was not posted:" and what is wrong with the
  ** field named (the API words it in the page's language), else the
  ** answer's detail (a wait asked for), else that it could not be posted. */
  function refusal(form, body) {
    var p = body && body.invalid_params && body.invalid_params[0];
    if (p && p.reason) {
      return form.getAttribute('data-problem') + ' ' + p.reason;
    }
    return (body && body.status !== 400 && body.detail) || form.getAttribute('data-failed');
  }

  /* Posts the reply form through the API and shows the new comment in
  ** place; the form posts normally when the network fails. */
  function initCommentForm() {
    var form = document.getElementById('reply');
    var url = form && form.getAttribute('data-api');
    var sending = false;

    if (!form || !url || typeof window.fetch !== 'function') {
      return;
    }
    if (/(^|;\s*)gz_pending=1/.test(document.cookie)) {
      api('GET', url + '/mine', undefined, function (status, body) {
        var i;
        for (i = 0; status === 200 && body && i < body.data.length; i++) {
          placeComment(form, body.data[i]);
        }
      });
    }
    form.addEventListener('submit', function (event) {
      var field = function (name) {
        var el = form.querySelector('[name="' + name + '"]');
        return el ? el.value : '';
      };
      var parent = Number(field('parent')) || null;
      if (field('website')) {
        return; /* left to the server, which drops it */
      }
      event.preventDefault();
      if (sending) {
        return;
      }
      sending = true;
      form.setAttribute('aria-busy', 'true');
      api('POST', url, {
        name: field('name'), email: field('email'), body: field('body'), parent_id: parent
      }, function (status, body) {
        var placed, note;
        sending = false;
        form.removeAttribute('aria-busy');
        if (status === 0) {
          form.submit();
        } else if (status === 201 && body) {
          if (body.status === 'held') {
            document.cookie = 'gz_pending=1; path=/; max-age=604800; samesite=lax' +
              (window.location.protocol === 'https:' ? '; secure' : '');
          }
          placed = placeComment(form, body);
          form.querySelector('[name="body"]').value = '';
          form.querySelector('[name="parent"]').value = '';
          /* The next comment answers the article; the note (a live region)
          ** tells a screen reader's user the comment went. */
          note = document.getElementById('replying-to');
          if (note) {
            note.textContent = form.getAttribute(body.status === 'held' ? 'data-awaiting' : 'data-posted');
          }
          if (document.getElementById('form-errors')) {
            form.removeChild(document.getElementById('form-errors'));
          }
          if (placed) {
            placed.scrollIntoView({ block: 'center' });
          }
        } else {
          showFormError(form, refusal(form, body));
        }
      });
    });
  }

  /* Runs every part once the document is parsed. */
  function init() {
    initBackToTop();
    initReplies();
    initRating();
    initCommentForm();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
