// The upload dialog's option fields (upload.js): a labelled select or number
// input, and the label select's value for the core's LabelColumn. DOM building
// only (column names come from the file: never innerHTML).
import { h } from './dom.js';

export const select = (id, label, values, value, onValue) => h('label', { class: 'field', for: id }, h('span', {}, label),
  h('select', { id, onchange: (e) => onValue(e.target.value) },
    values.map(([v, text]) => h('option', { value: v, selected: v === value }, text))));
export const number = (id, label, value, attrs, onValue) => h('label', { class: 'field', for: id }, h('span', {}, label),
  h('input', { id, type: 'number', value: String(value), ...attrs, onchange: (e) => onValue(e.target.value) }));
/** The label select's value for the core's LabelColumn (null | {index} | {name} | "first" | "last"). */
export const labelValue = (l, columns) => {
  if (l === null) return 'auto';
  if (l === 'first') return '0';
  if (l === 'last') return String(columns.length - 1);
  return String('index' in l ? l.index : columns.indexOf(l.name));
};
