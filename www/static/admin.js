/* The newsroom's screens work without this script; it only asks before
** actions that cannot be undone (buttons with data-confirm). */
(function () {
  'use strict';

  function init() {
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

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
