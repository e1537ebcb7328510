// The course's programs as presets (DATA): one entry per program, each the
// exact setup (an ExperimentConfig, plus a race `?race=` value, a k-fold K,
// classroom view) and, where the course reports a number, that number ("book").
// lesson-picker.js shows them; `?lesson=<id>` opens one. Pure module (node-tested):
// no DOM; the link is built with the page's own url.js/race.js forms.
//
// Conventions: epochs are the course's (the user may lower them); full-size
// MNIST / Fashion-MNIST as the course trains on them; `random_uniform` is Keras'
// U[-0.05, 0.05). `validation_data: 'test'` is Keras' validation_data=(x_test, y_test).
// `book` is a fraction (0.9765 → "97.65%"); a race lesson has one per run, in run order.
// `reproduce` names the program's file(s) in crate/configs/reproduce/ that `scripts/reproduce` trains with
// the native CLI (one per race run, in run order; a k-fold lesson's one file is the race's base, its race
// the CLI's `--vary`). Those files are the programs' definition: tests/unit/lessons-configs.test.mjs checks
// that each lesson opens exactly its file(s), and scripts/reproduce takes the book numbers from here.

import { CNN_PRESETS } from './cnn-presets.js';

const mlp = (units, activation, init) => [
  { type: 'Flatten' },
  ...units.map((u) => ({ type: 'Dense', units: u, activation, ...(init ? { kernel_initializer: init } : {}) })),
];
const deepRelu = [...mlp([1024, 512, 512, 512], 'relu'), { type: 'Dense', units: 10, activation: 'softmax' }];
const FOUR_OPTIMIZERS = 'optimizer:sgd|optimizer:adam|optimizer:adagrad|optimizer:rmsprop';
const base = { metrics: ['accuracy'], seed: 42 };
/** The course's tanh MLP programs: random_uniform, MSE, Adam 0.001, batch 128, 30 epochs, validated on the test set. */
const tanhMseProgram = (dataset, units) => ({ ...base, dataset, layers: mlp(units, 'tanh', 'random_uniform'),
  loss: 'mean_squared_error', optimizer: { name: 'adam', learning_rate: 0.001 }, batch_size: 128, epochs: 30,
  validation_data: 'test' });

export const LESSONS = [
  {
    id: 'perceptron-or', program: '1', title: 'The perceptron learns OR',
    text: 'One tanh neuron, two inputs, trained with MSE and SGD (0.1) on the four rows of OR. '
      + 'Watch the loss fall and the accuracy reach 100% (the output’s sign gives the class).',
    // ±1 targets as the course uses them (accuracy = sign agreement).
    config: { ...base, dataset: 'or', layers: [{ type: 'Dense', units: 1, activation: 'tanh' }],
      loss: 'mean_squared_error', optimizer: { name: 'sgd', learning_rate: 0.1 }, batch_size: 4, epochs: 500,
      validation_split: 0, label_encoding: 'plus_minus_one' },
    book: 1, bookWhat: 'accuracy',
    reproduce: 'perceptron-or',
  },
  {
    id: 'mlp-mnist', program: '2', title: 'MLP 784-1024-10 on MNIST (tanh, MSE, Adam)',
    text: 'A hidden layer of 1024 tanh units, random_uniform weights, MSE on one-hot targets, Adam, batches of 128, '
      + '30 epochs, validated on the test set. Watch val_accuracy climb towards the book’s 97.65%.',
    config: tanhMseProgram('mnist-full', [1024, 10]),
    book: 0.9765, bookWhat: 'test accuracy',
    reproduce: 'mlp-mnist',
  },
  {
    id: 'mlp-fashion', program: '3', title: 'The same MLP on Fashion-MNIST',
    text: 'The MNIST program unchanged, on clothes: the same model reaches far less (book 89.25%). '
      + 'Watch the gap between training and validation accuracy open.',
    config: tanhMseProgram('fashion-mnist-full', [1024, 10]),
    book: 0.8925, bookWhat: 'test accuracy',
    reproduce: 'mlp-fashion',
  },
  {
    id: 'deep-mlp', program: '4', title: 'Deep MLP 1024-512-512-512 (tanh, MSE)',
    text: 'Three more hidden layers of 512 tanh units: a little better than one layer (book 97.91%), '
      + 'and each epoch costs about twice as much.',
    config: tanhMseProgram('mnist-full', [1024, 512, 512, 512, 10]),
    book: 0.9791, bookWhat: 'test accuracy',
    reproduce: 'deep-tanh',
  },
  {
    id: 'mse-vs-ce', program: '5', title: 'MSE vs cross-entropy (race)',
    text: 'The deep ReLU MLP with a softmax output, trained twice from the same weights: MSE against '
      + 'categorical cross-entropy. Watch cross-entropy learn faster at the start (book 98.09% vs 98.24%).',
    config: { ...base, dataset: 'mnist-full', layers: deepRelu, loss: 'categorical_crossentropy',
      optimizer: { name: 'adam', learning_rate: 0.001 }, batch_size: 256, epochs: 30, validation_data: 'test' },
    race: 'loss:mean_squared_error|loss:categorical_crossentropy', classroom: true,
    book: [0.9809, 0.9824], bookWhat: 'test accuracy',
    reproduce: ['relu-mse', 'relu-ce'],
  },
  {
    id: 'optimizers-fashion', program: '6', title: 'SGD · Adam · Adagrad · RMSprop on Fashion-MNIST (race)',
    text: 'Four optimizers with Keras’ default learning rates, same data, weights and batches, 50 epochs of 256. '
      + 'Watch plain SGD and Adagrad lag (book 87.08 / 89.86 / 85.11 / 89.93%).',
    config: { ...base, dataset: 'fashion-mnist-full', layers: deepRelu, loss: 'categorical_crossentropy',
      optimizer: { name: 'adam', learning_rate: 0.001 }, batch_size: 256, epochs: 50, validation_data: 'test' },
    race: FOUR_OPTIMIZERS, classroom: true,
    book: [0.8708, 0.8986, 0.8511, 0.8993], bookWhat: 'test accuracy',
    reproduce: ['fashion-sgd', 'fashion-adam', 'fashion-adagrad', 'fashion-rmsprop'],
  },
  {
    id: 'optimizers-kfold', program: '7', title: 'The four optimizers by 5-fold cross-validation',
    text: 'The same four optimizers, 20 epochs each on 4/5 of the training set, scored on the fifth left out, '
      + 'five times (Cross-validation panel: press Run k-fold). Compare the boxes, not single runs '
      + '(book mean accuracies 0.8607 / 0.8967 / 0.8331 / 0.8793).',
    config: { ...base, dataset: 'fashion-mnist-full', layers: deepRelu, loss: 'categorical_crossentropy',
      optimizer: { name: 'adam', learning_rate: 0.001 }, batch_size: 256, epochs: 20 },
    race: FOUR_OPTIMIZERS, kfold: 5,
    book: [0.8607, 0.8967, 0.8331, 0.8793], bookWhat: 'mean fold accuracy',
    reproduce: 'optimizers-kfold',
  },
  {
    id: 'dropout-early-stopping', program: '8', title: 'Dropout and early stopping on Fashion-MNIST (race)',
    text: 'Two ReLU layers of 512 without and with Dropout(0.2), EarlyStopping on val_loss (patience 5, '
      + 'restore_best_weights). Watch the run without dropout overfit: its val_loss turns up and it stops first.',
    config: { ...base, dataset: 'fashion-mnist-full', layers: [{ type: 'Flatten' },
      { type: 'Dense', units: 512, activation: 'relu' }, { type: 'Dropout', rate: 0.2 },
      { type: 'Dense', units: 512, activation: 'relu' }, { type: 'Dropout', rate: 0.2 },
      { type: 'Dense', units: 10, activation: 'softmax' }],
    loss: 'categorical_crossentropy', optimizer: { name: 'adam', learning_rate: 0.001 }, batch_size: 128, epochs: 50,
    validation_split: 0.1,
    early_stopping: { monitor: 'val_loss', patience: 5, min_delta: 0.001, restore_best_weights: true } },
    race: 'dropout[2]:0;dropout[4]:0|dropout[2]:0.2;dropout[4]:0.2', classroom: true,
    book: null,
  },
  {
    id: 'vanishing-gradients', program: '9', title: 'Vanishing gradients: deep sigmoid vs ReLU (race)',
    text: 'Five hidden layers of 64 units, sigmoid against ReLU, plain SGD. Watch the sigmoid network’s loss '
      + 'sit flat for a long time: its first layers barely learn.',
    config: { ...base, dataset: 'mnist', layers: [...mlp([64, 64, 64, 64, 64], 'sigmoid'),
      { type: 'Dense', units: 10, activation: 'softmax' }], loss: 'categorical_crossentropy',
    optimizer: { name: 'sgd', learning_rate: 0.01 }, batch_size: 32, epochs: 10, validation_split: 0.1 },
    race: [1, 2, 3, 4, 5].map((i) => `activation[${i}]:sigmoid`).join(';')
      + '|' + [1, 2, 3, 4, 5].map((i) => `activation[${i}]:relu`).join(';'),
    classroom: true,
    book: null,
  },
  // The course's first look at CNNs: the reference CNN on full MNIST and Fashion-MNIST (cnn-presets.js).
  ...CNN_PRESETS.map((p) => ({ id: p.id, program: 'CNN', title: p.title, text: p.note, config: p.state, book: null })),
  {
    // The first visit's experiment before the small CNN (state.js defaultConfig) took its place (issue 14.6).
    id: 'mlp-128', program: 'MLP', title: 'A first MLP on the MNIST subset: Flatten → Dense(128) → Dense(10)',
    text: 'The classic first network: every pixel feeds 128 ReLU units, then 10 softmax outputs; 101,770 parameters. '
      + 'It stops near 93% test accuracy on these 10,000 digits, where the small CNN the page opens with passes 96% '
      + 'with 8,938 parameters: convolutions reuse their weights at every position.',
    config: { dataset: 'mnist', layers: mlp([128], 'relu').concat({ type: 'Dense', units: 10, activation: 'softmax' }),
      loss: 'categorical_crossentropy', optimizer: { name: 'adam', learning_rate: 0.001 }, metrics: ['accuracy'],
      batch_size: 32, epochs: 5, validation_split: 0.1, seed: 42 },
    book: null,
  },
  {
    // What 95% on the subset costs an MLP (issue 14.6): the same as crate/configs/mnist-95.json.
    id: 'mnist-95', program: 'MLP', title: '95% on the MNIST subset with an MLP: wider layers, dropout, a cosine schedule',
    text: '784-128-10 stops near 93% on these 10,000 digits. Two wider layers with Dropout 0.2 and a learning rate '
      + 'that decays from 0.003 to 0.0003 over 6 epochs (cosine) pass 95% test accuracy, at about four times the work per step.',
    config: { dataset: 'mnist', layers: [{ type: 'Flatten' }, { type: 'Dense', units: 512, activation: 'relu' },
      { type: 'Dropout', rate: 0.2 }, { type: 'Dense', units: 256, activation: 'relu' }, { type: 'Dropout', rate: 0.2 },
      { type: 'Dense', units: 10, activation: 'softmax' }],
    loss: 'categorical_crossentropy', optimizer: { name: 'adam', learning_rate: 0.003 }, metrics: ['accuracy'], batch_size: 64,
    epochs: 6, validation_data: 'test',
    lr_schedule: { type: 'cosine_decay', initial_learning_rate: 0.003, decay_steps: 942, alpha: 0.1 }, seed: 42 },
    book: null,
  },
];

export const lessonById = (id) => LESSONS.find((l) => l.id === id) ?? null;

/** 0.9765 → "97.65%"; 1 → "100%". */
export function bookPercent(v) {
  return `${Number((v * 100).toFixed(2))}%`;
}

/** The book's number(s) as the page shows them: "book: 97.65%" / "book: 98.09% vs 98.24%"; '' when none. */
export function bookText(lesson) {
  if (!lesson || lesson.book === null || lesson.book === undefined) return '';
  const list = Array.isArray(lesson.book) ? lesson.book : [lesson.book];
  return `book: ${list.map(bookPercent).join(list.length === 2 ? ' vs ' : ' / ')}`;
}

/** The book's number for race run `i` (or the single number), or null. */
export function bookFor(lesson, i = 0) {
  if (!lesson || lesson.book === null || lesson.book === undefined) return null;
  return Array.isArray(lesson.book) ? lesson.book[i] ?? null : lesson.book;
}

/**
 * The lesson's config for the fields this page knows (`known`: the schema's experiment
 * field names): a field the page does not know yet is left out and named in `dropped`.
 */
export function lessonConfig(lesson, known) {
  const config = {};
  const dropped = [];
  for (const [k, v] of Object.entries(lesson.config)) {
    if (known.includes(k)) config[k] = structuredClone(v); else dropped.push(k);
  }
  return { config, dropped };
}

/**
 * The link that opens `lesson`: `?lesson=<id>[&race=…][&kfold=K][&classroom]#<experiment>`.
 * `hash` is the experiment's url.js form (encodeConfig of the normalised config).
 */
export function lessonSearch(lesson) {
  const q = [`lesson=${encodeURIComponent(lesson.id)}`];
  if (lesson.race) q.push(`race=${lesson.race.replace(/[&#%\s]/g, encodeURIComponent)}`);
  if (lesson.kfold) q.push(`kfold=${lesson.kfold}`);
  if (lesson.classroom) q.push('classroom');
  return `?${q.join('&')}`;
}

/** The lesson open in this page (from `?lesson=`), shared with the race table's book column. */
let active = null;
export const activeLesson = () => active;
export function setActiveLesson(lesson) { active = lesson ?? null; }

/**
 * The race table's "Book" cell for run `i` of the race `raceText` (its `?race=` form): the open
 * lesson's number when the race is the lesson's own, else '' (a changed race has no book).
 */
export function raceBookCell(i, raceText) {
  const l = activeLesson();
  return Array.isArray(l?.book) && l.race === raceText && l.book[i] !== undefined ? bookPercent(l.book[i]) : '';
}
