// The meeting's keys and links, in the browser (installed once per tab by app/presentation.py).
//
// Every step is made here, URL first: the new address is pushed into the history and Streamlit's own back-button
// handler (popstate) runs the page it names. So the address always says what is shown, a reload or a shared link
// shows the same screen, and a rapid series of keys is never lost: each key steps on from the address the
// previous key made, not from what the server has drawn so far.
(() => {
  if (window.__tmMeeting) return;
  const meeting = window.__tmMeeting = {themes: __THEMES__, dynamics: __DYNAMICS__, intended: null};
  const QUIET_PAGES = ['scoringssessie', 'meedoen', 'logboek'];  // the scoring session keeps its own screen
  const KEPT = ['jaar', 'sector', 'weergave'];  // the filters every step carries along

  const pageOf = (url) => url.pathname.replace(/\/+$/, '').split('/').pop() || 'overzicht';
  const presenting = (url) => url.searchParams.get('weergave') === 'presentatie' && !QUIET_PAGES.includes(pageOf(url));

  // Where the meeting is: the address of the last step asked for while the page is still catching up.
  const current = () => new URL(meeting.intended || window.location.href);

  const address = (url, page, extra) => {
    const params = new URLSearchParams();
    for (const key of KEPT) if (url.searchParams.get(key)) params.set(key, url.searchParams.get(key));
    for (const [key, value] of Object.entries(extra)) params.set(key, value);
    const query = params.toString();
    const path = page === 'overzicht' ? './' : page;
    return new URL(path + (query ? '?' + query : ''), url).toString();
  };

  // The address one step on, or null where there is no step (before the first score, after the last).
  const target = (step) => {
    const url = current(), {themes, dynamics} = meeting;
    if (step === 'overview') return address(url, 'overzicht', {});
    const onTheme = pageOf(url) === 'thema';
    const chosenTheme = url.searchParams.get('thema');
    let t = themes.indexOf(chosenTheme), d = dynamics.indexOf(url.searchParams.get('dynamiek'));
    if (d < 0) d = 0;
    if (!onTheme) {  // from the overview 'next' starts at the first score (or the theme the filter chose)
      if (!['next-theme', 'next-score'].includes(step)) return null;
      t = Math.max(t, 0);
      return address(url, 'thema', {thema: themes[t], dynamiek: dynamics[step === 'next-score' ? 0 : d]});
    }
    if (t < 0) t = 0;
    const last = dynamics.length - 1;
    const moves = {
      'previous-theme': [t - 1, d], 'next-theme': [t + 1, d],
      'previous-score': d > 0 ? [t, d - 1] : [t - 1, last],
      'next-score': d < last ? [t, d + 1] : [t + 1, 0],
    };
    const [theme, dynamic] = moves[step];
    if (theme < 0 || theme >= themes.length) return null;
    return address(url, 'thema', {thema: themes[theme], dynamiek: dynamics[dynamic]});
  };

  // Streamlit runs the page of the address; a burst of steps is coalesced into one run of the last address.
  let runTimer = null, settleTimer = null;
  const run = () => window.dispatchEvent(new PopStateEvent('popstate', {state: {}}));
  // What a step decides: the page and the score. The page may add its own parameters after it (a search typed on
  // Voorbeelden): those are the person's, not an older step's, and stay.
  const stepOf = (href) => {
    const url = new URL(href);
    return [pageOf(url), url.searchParams.get('thema'), url.searchParams.get('dynamiek')].join('|');
  };
  const settle = () => {  // a run of an older step may have rewritten the address: put the last step back
    if (meeting.intended && stepOf(window.location.href) !== stepOf(meeting.intended)) {
      window.history.pushState({}, '', meeting.intended);
      run();
    }
    meeting.intended = null;
  };
  const go = (href) => {
    meeting.intended = href;
    window.history.pushState({}, '', href);
    clearTimeout(runTimer);
    clearTimeout(settleTimer);
    runTimer = setTimeout(run, 60);
    settleTimer = setTimeout(settle, 1500);
    if (pageOf(new URL(href)) === 'overzicht') toTop();
  };

  // The overview opens at its top (radar and grid), whatever the page before it had scrolled to, until the
  // person scrolls themselves.
  let topTimer = null;
  const toTop = () => {
    clearInterval(topTimer);
    let ticks = 0, moved = false;
    const stop = () => { moved = true; };
    ['wheel', 'touchstart', 'mousedown'].forEach(e => window.addEventListener(e, stop, {once: true}));
    topTimer = setInterval(() => {
      const main = document.querySelector('[data-testid="stMain"]');
      if (main && !moved) main.scrollTop = 0;
      if (!moved) window.scrollTo(0, 0);
      if (moved || ++ticks > 50) clearInterval(topTimer);
    }, 50);
  };

  // A black screen (B or '.', as in PowerPoint): the room looks at the speaker; any key brings the screen back.
  const blank = (on) => {
    let cover = document.getElementById('tm-zwart');
    if (!cover) {
      cover = document.createElement('div');
      cover.id = 'tm-zwart';
      cover.setAttribute('aria-label', 'Scherm zwart: druk op B om terug te gaan');
      cover.setAttribute('role', 'img');
      cover.style.cssText = 'position:fixed;inset:0;background:#000;z-index:2147483647;display:none;cursor:none';
      document.body.appendChild(cover);
    }
    cover.style.display = on ? 'block' : 'none';
  };
  const blanked = () => document.getElementById('tm-zwart')?.style.display === 'block';

  // The whole justification and every example of a score: one key (M) or click away, over the screen.
  const more = (open) => {
    const details = document.querySelector('details.tm-meer');
    if (details) details.open = open === undefined ? !details.open : open;
  };

  const KEYS = {
    ArrowRight: 'next-theme', ArrowLeft: 'previous-theme',
    ArrowDown: 'next-score', PageDown: 'next-score', ' ': 'next-score',
    ArrowUp: 'previous-score', PageUp: 'previous-score',
    Home: 'overview', o: 'overview', O: 'overview',
  };
  const typing = (el) => el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)
                                || el.closest('[role="combobox"], [role="listbox"], [data-baseweb="select"]'));
  // How the focused control got its focus: a mouse or finger, or the keyboard (Tab).
  let focusedByPointer = false;
  window.addEventListener('pointerdown', () => { focusedByPointer = true; }, true);
  window.addEventListener('keydown', (event) => { if (event.key === 'Tab') focusedByPointer = false; }, true);
  const onKey = (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (!presenting(new URL(window.location.href)) || typing(event.target)) return;
    const key = event.key;
    // Space on a button or link the person tabbed to presses it, as everywhere else; after a mouse click on one
    // (a dynamic, a view) the clicker's Space steps on instead of pressing it again.
    const control = event.target.closest && event.target.closest('button, a, summary, [role="button"]');
    if (key === ' ' && control && !focusedByPointer) return;
    let handled = true;
    if (blanked()) blank(false);
    else if (key === 'b' || key === 'B' || key === '.') blank(true);
    else if (key === 'm' || key === 'M') more();
    else if (key === 'Escape') { more(false); handled = false; }
    else if (KEYS[key]) { const href = target(KEYS[key]); if (href) { more(false); go(href); } }
    else handled = false;
    if (handled) { event.preventDefault(); event.stopImmediatePropagation(); }
  };
  window.addEventListener('keydown', onKey, true);

  // The same steps with the mouse: the top bar's buttons, the score grid's links, and every link between the app's
  // pages (a link to the page one is on, e.g. into presentation mode, changes its address too).
  const BUTTONS = {
    'tm-vorig-thema': 'previous-theme', 'tm-volgend-thema': 'next-theme',
    'tm-vorige-dynamiek': 'previous-score', 'tm-volgende-dynamiek': 'next-score', 'tm-overzicht': 'overview',
  };
  document.addEventListener('click', (event) => {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    const el = event.target.closest && event.target.closest('button, a[href]');
    if (!el) return;
    const box = el.closest('[class*="st-key-tm-"]');
    const step = box && el.tagName === 'BUTTON' && BUTTONS[[...box.classList].find(c => c.startsWith('st-key-tm-'))
                                                            ?.slice('st-key-'.length)];
    let href = null;
    if (step) href = target(step);
    else if (el.matches('a[data-testid="stPageLink-NavLink"], table.tm-grid a[href], a.tm-naar') && !el.hasAttribute('disabled')
             && el.target !== '_blank') {
      const url = new URL(el.getAttribute('href'), window.location.href);
      if (url.origin === window.location.origin) href = url.toString();
    }
    if (!href && !step) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (el.tagName === 'BUTTON') el.blur();  // a clicker's Space then steps on, instead of pressing it again
    if (href) go(href);
  }, true);
})();
