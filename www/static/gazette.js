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
      note.textContent = squeeze(link.textContent);
      author = document.getElementById(link.getAttribute('aria-describedby') || '');
      if (author) {
        note.textContent += ': ' + squeeze(author.textContent);
      }
    }
    return true;
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

  /* Keeps a rating form from being sent twice while the first vote is on
  ** its way. */
  function initRatingForms() {
    var forms = document.querySelectorAll('form.rating-form');
    var i;

    for (i = 0; i < forms.length; i++) {
      forms[i].addEventListener('submit', function (event) {
        if (this.classList.contains('is-sending')) {
          event.preventDefault();
          return;
        }
        this.classList.add('is-sending');
        this.setAttribute('aria-busy', 'true');
      });
    }

    /* A page restored by the Back button must accept a vote again. */
    window.addEventListener('pageshow', function (event) {
      var j;
      if (!event.persisted) {
        return;
      }
      for (j = 0; j < forms.length; j++) {
        forms[j].classList.remove('is-sending');
        forms[j].removeAttribute('aria-busy');
      }
    });
  }

  /* Runs every part once the document is parsed. */
  function init() {
    initBackToTop();
    initReplies();
    initRatingForms();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
