// One definition per course program: the files in crate/configs/reproduce/ (what scripts/reproduce
// trains with the native CLI) ARE the programs, and every lesson (www/js/lessons.js) that names one with
// `reproduce` opens exactly it — each race run its own file, a k-fold lesson its race's base. Compared
// after the page's own normalisation (Keras defaults from the core's schema filled in), so every field
// counts: layers, loss, optimizer, batch_size, epochs, dataset, validation choice, labels, seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { useSchema } from '../../www/js/schema.js';
import { normalizeConfig } from '../../www/js/state.js';
import { applyRace, core, needsCore } from './core.mjs';
import { bookFor, LESSONS } from '../../www/js/lessons.js';

useSchema(JSON.parse(readFileSync(new URL('./fixtures/schema.json', import.meta.url))));
const DIR = new URL('../../crate/configs/reproduce/', import.meta.url);
const program = (name) => normalizeConfig(JSON.parse(readFileSync(new URL(`${name}.json`, DIR))));
const withReproduce = LESSONS.filter((l) => l.reproduce);

test('every lesson with a reproduction program opens exactly that program', { skip: needsCore }, () => {
  assert.ok(withReproduce.length >= 7, 'the course programs with a book number');
  for (const l of withReproduce) {
    const base = normalizeConfig(l.config);
    const names = [l.reproduce].flat();
    if (l.race && !l.kfold) {
      const runs = applyRace(base, l.race);
      assert.equal(names.length, runs.length, `${l.id}: one program file per race run`);
      runs.forEach((c, i) => assert.deepEqual(normalizeConfig(c), program(names[i]),
        `${l.id}, run ${i + 1} (${names[i]}.json)`));
    } else {
      assert.equal(names.length, 1, `${l.id}: one program file`);
      assert.deepEqual(base, program(names[0]), `${l.id} (${names[0]}.json)`);
    }
  }
});

test('every reproduction program belongs to one lesson, and the comparison catches a difference', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
  const named = withReproduce.flatMap((l) => [l.reproduce].flat()).sort();
  assert.deepEqual(named, files, 'each file in crate/configs/reproduce/ is named by exactly one lesson');
  // The check is not vacuous: the optimizer race's SGD run with another epoch count or loss is not its file.
  const l = LESSONS.find((x) => x.id === 'optimizers-fashion');
  if (!core) return;   // the race's form is the core's to parse (needsCore)
  const sgd = normalizeConfig(applyRace(normalizeConfig(l.config), l.race)[0]);
  assert.notDeepEqual({ ...sgd, epochs: 10 }, program('fashion-sgd'));
  assert.notDeepEqual({ ...sgd, loss: 'mean_squared_error' }, program('fashion-sgd'));
  assert.notDeepEqual({ ...sgd, validation_data: null }, program('fashion-sgd'));
});

test('scripts/reproduce-plan.mjs lists every program with the lesson\'s book number', () => {
  const out = execFileSync(process.execPath, [new URL('../../scripts/reproduce-plan.mjs', import.meta.url).pathname],
    { encoding: 'utf8' });
  const rows = out.trim().split('\n').map((line) => line.split('\t'));
  const byName = Object.fromEntries(rows.map(([name, ...rest]) => [name, rest]));
  assert.deepEqual(byName['mlp-mnist'], ['0.9765', '-', '-']);
  assert.deepEqual(byName['relu-ce'], ['0.9824', '-', '-']);
  assert.deepEqual(byName['fashion-adagrad'], ['0.8511', '-', '-']);
  assert.deepEqual(byName['perceptron-or'], ['1', '-', '-']);
  const kfold = LESSONS.find((x) => x.id === 'optimizers-kfold');
  assert.deepEqual(byName['optimizers-kfold'], [kfold.book.join(','), '5', kfold.race]);
  for (const l of withReproduce.filter((x) => !x.kfold)) {
    [l.reproduce].flat().forEach((name, i) => assert.equal(Number(byName[name][0]), bookFor(l, i), name));
  }
});
