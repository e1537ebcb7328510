// The race's "one run at a time" field: a new run's differences typed in the
// link form (race.js), e.g. optimizer:sgd(learning_rate=0.1,momentum=0.9) or
// loss:mean_squared_error;batch_size:64, with suggestions made from the
// experiment on screen (its optimizer, batch size and layers) when it gets focus.
import { h } from './dom.js';

/** The suggested differences for a new run of experiment `c`. */
export function suggestionsFor(c) {
  // Hidden layers only (Dense and Conv2D before the output Dense): the output's softmax stays.
  const out = c.layers.findLastIndex((l) => l.type === 'Dense');
  const hidden = (l, i) => i !== out && ['Dense', 'Conv2D'].includes(l.type) && l.activation !== undefined;
  const layers = c.layers.flatMap((l, i) => (hidden(l, i) ? [`activation[${i}]:tanh`, `activation[${i}]:sigmoid`]
    : l.type === 'Dropout' ? [`dropout[${i}]:0.5`] : []));
  return ['optimizer:sgd(learning_rate=0.01)', 'optimizer:sgd(learning_rate=0.01,momentum=0.9)',
    'optimizer:sgd(learning_rate=0.01,momentum=0.9,nesterov=true)', 'optimizer:rmsprop', 'optimizer:adam',
    'optimizer:adagrad(learning_rate=0.01)', `optimizer:${c.optimizer.name}(learning_rate=${c.optimizer.learning_rate * 10})`,
    'loss:mean_squared_error', 'loss:categorical_crossentropy', `batch_size:${c.batch_size * 4}`, 'init:he_normal',
    'init:zeros', ...layers];
}

/** The field's elements (label, input, button, suggestions); `onAdd(text)` gets what was typed. */
export function mountRaceAdd({ store, onAdd }) {
  const input = h('input', { id: 'race-add-text', type: 'text', placeholder: 'optimizer:sgd(learning_rate=0.1,momentum=0.9)',
    'aria-label': 'the new run’s differences, like optimizer:adam or loss:mean_squared_error;batch_size:64', size: 34,
    list: 'race-suggestions' });
  const button = h('button', { type: 'button', class: 'secondary', id: 'race-add', onclick: () => {
    const text = input.value;
    input.value = '';
    onAdd(text);
  } }, 'Add run');
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') button.click(); });
  const suggestions = h('datalist', { id: 'race-suggestions' });
  input.addEventListener('focus', () => {
    suggestions.replaceChildren(...suggestionsFor(store.get().config).map((v) => h('option', { value: v })));
  });
  return [h('label', { for: 'race-add-text' }, 'Or one run at a time:'), input, button, suggestions];
}
