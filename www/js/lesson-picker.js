// The "Lessons" picker: one entry per course program (lessons.js). Picking one
// opens its exact setup as a link (`?lesson=<id>[&race=…][&kfold=K][&classroom]#<experiment>`,
// a page load: the experiment, the race, the k-fold K and the classroom view all
// come from the link as usual). While a lesson is open, its short text and the
// book's number are shown, and beside the number ours: the main run's last
// val_accuracy (or accuracy). Race lessons show the book per run in the race table.
import { h, say } from './dom.js';
import { experimentArgs } from './schema.js';
import { configKey, normalizeConfig } from './state.js';
import { encodeConfig } from './url.js';
import { activeLesson, bookFor, bookPercent, bookText, lessonById, lessonConfig, LESSONS, lessonSearch, setActiveLesson }
  from './lessons.js';

const knownFields = () => experimentArgs().map((a) => a.name);

/** The lesson's full link (search + hash) for this page's schema; `dropped`: fields this page cannot show yet. */
export function lessonLink(lesson) {
  const { config, dropped } = lessonConfig(lesson, knownFields());
  return { href: `${lessonSearch(lesson)}#${encodeConfig(normalizeConfig(config))}`, dropped };
}

/**
 * At boot, after the schema and before the experiment is read from the hash: `?lesson=<id>` becomes the
 * active lesson; when the hash holds no experiment (a hand-written `?lesson=` link), the lesson's own
 * experiment, race, K and classroom flag are written into the URL. Returns an error message or ''.
 */
export function openLessonLink() {
  const q = new URLSearchParams(location.search);
  const id = q.get('lesson');
  if (!id) return '';
  const lesson = lessonById(id);
  if (!lesson) return `there is no lesson "${id}" (lessons: ${LESSONS.map((l) => l.id).join(', ')})`;
  setActiveLesson(lesson);
  if (location.hash.includes('=')) return '';
  try {
    history.replaceState(null, '', `${location.pathname}${lessonLink(lesson).href}`);
  } catch (e) { return `the lesson "${id}" could not be opened: ${e.message}`; }
  return '';
}

export function mountLessonPicker(el, { bookEl, session, store, getKv }) {
  const select = h('select', { id: 'lesson', 'aria-describedby': 'lesson-text' },
    h('option', { value: '' }, '— open a course program —'),
    ...LESSONS.map((l) => h('option', { value: l.id }, `${l.program}. ${l.title}`)));
  const text = h('p', { id: 'lesson-text', class: 'muted', hidden: true });
  const err = h('p', { id: 'lesson-error', class: 'error', role: 'alert', hidden: true });
  el.append(h('div', { class: 'field' }, h('label', { for: 'lesson' }, 'Lesson'), select), text, err);
  const lesson = activeLesson();
  if (lesson) {
    select.value = lesson.id;
    const { dropped } = (() => { try { return lessonLink(lesson); } catch { return { dropped: [] }; } })();
    const missing = dropped.length ? ` (This page cannot set ${dropped.join(', ')} yet: the lesson runs without it.)` : '';
    say(text, `${lesson.text}${missing}`, 'note');
  }
  select.addEventListener('change', async () => {
    const l = lessonById(select.value);
    if (!l) return;
    try {
      const { href } = lessonLink(l);
      // A lesson without a race must not bring back the last race kept in this browser.
      if (!l.race) await getKv?.()?.put('race', null).catch(() => {});
      location.assign(href);
    } catch (e) { say(err, `This lesson could not be opened: ${e.message}`); }
  });

  // "book: 97.65% · ours: 96.12% (val_accuracy, epoch 3)" in the progress area.
  let ours = null;
  let lessonKey = null;   // the lesson's experiment, to say when the one on screen differs
  function show() {
    const l = activeLesson();
    const book = bookText(l);
    if (!book) { say(bookEl, ''); return; }
    if (lessonKey === null) {
      try { lessonKey = configKey(normalizeConfig(lessonConfig(l, knownFields()).config)); } catch { lessonKey = ''; }
    }
    const differs = store && configKey(store.get().config) !== lessonKey ? ' — your setup differs from the lesson’s' : '';
    const single = bookFor(l) !== null && !Array.isArray(l.book);
    const our = single && ours ? ` · ours: ${bookPercent(ours.value)} (${ours.key}, epoch ${ours.epoch})` : '';
    const where = Array.isArray(l.book) ? ` (${l.bookWhat}; per run in the race table)` : ` ${l.bookWhat}`;
    say(bookEl, `${l.title} — ${book}${where}${our}${differs}`, 'note');
  }
  session.on('progress', (report) => {
    const e = report.epochs?.at(-1);
    if (!e) return;
    const key = e.logs.val_accuracy !== undefined ? 'val_accuracy' : 'accuracy';
    if (e.logs[key] === undefined) return;
    ours = { key, value: e.logs[key], epoch: e.epoch + 1 };
    show();
  });
  for (const ev of ['configured', 'reset']) session.on(ev, () => { ours = null; show(); });
  store?.subscribe((_, changed) => { if (changed.has('config')) show(); });
  show();
  return { select, show };
}
