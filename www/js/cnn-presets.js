// The "CNN" presets (issue 12): the reference convolutional network of the
// issue on full MNIST and on full Fashion-MNIST, each an experiment the page
// opens as is (`state` is an ExperimentConfig, the JSON the URL and the CLI
// read). Data only: a picker lists {id, title, note, state}. Each state is
// the same as crate/configs/<id>.json (tests/unit/cnn-presets.test.mjs checks
// it), where the native CLI measures what the title promises:
//   cargo run --release --bin gradlab -- train crate/configs/<id>.json
// Pure module: no DOM, importable from node.

/** Conv2D(32, 3×3, relu) → MaxPool 2 → Conv2D(64, 3×3, relu) → MaxPool 2 → Flatten → Dense(128, relu) → Dense(10, softmax). */
const referenceCnn = () => [
  { type: 'Conv2D', filters: 32, kernel_size: 3, activation: 'relu' },
  { type: 'MaxPooling2D', pool_size: 2 },
  { type: 'Conv2D', filters: 64, kernel_size: 3, activation: 'relu' },
  { type: 'MaxPooling2D', pool_size: 2 },
  { type: 'Flatten' },
  { type: 'Dense', units: 128, activation: 'relu' },
  { type: 'Dense', units: 10, activation: 'softmax' },
];

const cnnOn = (dataset, epochs) => ({
  dataset,
  layers: referenceCnn(),
  loss: 'categorical_crossentropy',
  optimizer: { name: 'adam', learning_rate: 0.001 },
  metrics: ['accuracy'],
  batch_size: 128,
  epochs,
  validation_split: 0.0,
  seed: 42,
});

export const CNN_PRESETS = [
  {
    id: 'cnn-mnist-99',
    title: 'CNN on MNIST: 99% test accuracy',
    note: 'Two convolution + pooling blocks learn strokes and their parts, then two Dense layers decide. '
      + 'Trains on all 60,000 digits; then "Evaluate on the test set" passes 99% (an MLP stops near 98%). Draw a digit.',
    state: cnnOn('mnist-full', 5),
  },
  {
    id: 'cnn-fashion-90',
    title: 'CNN on Fashion-MNIST: 90% test accuracy',
    note: 'The same network on clothes: harder than digits (shirts, T-shirts and pullovers look alike). '
      + 'After training, evaluate on the test set and see in the confusion matrix which classes it mixes up.',
    state: cnnOn('fashion-mnist-full', 7),
  },
];
