// The classroom view: the page set for a projector (large type, the race first;
// the CSS of body.classroom), toggled by its button and kept in the link as
// ?classroom so that a teacher's bookmark opens in it.
import { setText } from './dom.js';

export function mountClassroom(button) {
  function set(on) {
    document.body.classList.toggle('classroom', on);
    button.setAttribute('aria-pressed', String(on));
    setText(button, on ? 'Leave classroom view' : 'Classroom view');
    const q = new URLSearchParams(location.search);
    if (on) q.set('classroom', ''); else q.delete('classroom');
    const search = [...q.entries()].map(([k, v]) => (v ? `${k}=${v.replace(/[&#%\s]/g, encodeURIComponent)}` : k)).join('&');
    history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
  }
  button.addEventListener('click', () => set(!document.body.classList.contains('classroom')));
  return {
    set,
    /** At boot: on when the link says ?classroom. */
    restore() { if (new URLSearchParams(location.search).has('classroom')) set(true); },
  };
}
