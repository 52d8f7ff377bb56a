// The model kinds' fields for the queue form (README's table). Values are the service's own defaults, shown
// pre-filled; blank optional fields are left out of the request so that the service applies its defaults.
// type: int | number | ints (comma-separated list) | bool | choice.
const recurrent = [
  { name: 'units', type: 'ints', label: 'Units per layer', value: '' , hint: 'e.g. 32 or 20,20' },
  { name: 'dropout', type: 'number', label: 'Dropout', value: '' },
  { name: 'recurrentDropout', type: 'number', label: 'Recurrent dropout', value: '' },
];

export const modelKinds = {
  naive: { neural: false, fields: [] },
  seasonal_naive: { neural: false, fields: [{ name: 'season', type: 'int', label: 'Season', value: '', hint: 'default: 7 daily, 24 hourly, 12 monthly' }] },
  sarima: { neural: false, fields: [
    { name: 'order', type: 'ints', label: 'Order p,d,q', value: '1,0,0' },
    { name: 'seasonalOrder', type: 'ints', label: 'Seasonal order P,D,Q,s', value: '0,1,1,7' },
    { name: 'includeConstant', type: 'bool', label: 'Include a constant', value: false },
  ] },
  auto_sarima: { neural: false, fields: [
    { name: 'season', type: 'int', label: 'Season', value: '' , hint: 'default from the frequency' },
    { name: 'search', type: 'choice', label: 'Search', value: 'stepwise', choices: ['stepwise', 'grid'] },
  ] },
  linear: { neural: true, fields: [] },
  simple_rnn: { neural: true, fields: [
    { name: 'units', type: 'ints', label: 'Units per layer', value: '', hint: 'default 32' },
    { name: 'layerNorm', type: 'bool', label: 'Layer normalization', value: false },
    { name: 'dropout', type: 'number', label: 'Dropout', value: '' },
    { name: 'recurrentDropout', type: 'number', label: 'Recurrent dropout', value: '' },
  ] },
  lstm: { neural: true, fields: recurrent.map(f => f.name === 'units' ? { ...f, hint: 'default 20,20' } : f) },
  gru: { neural: true, fields: recurrent.map(f => f.name === 'units' ? { ...f, hint: 'default 20,20' } : f) },
  conv_gru: { neural: true, fields: [
    { name: 'filters', type: 'int', label: 'Filters', value: '32' },
    { name: 'kernelSize', type: 'int', label: 'Kernel size', value: '4' },
    { name: 'strides', type: 'int', label: 'Strides', value: '2' },
    { name: 'units', type: 'ints', label: 'GRU units per layer', value: '32,32' },
  ] },
  wavenet: { neural: true, strategies: ['seq2seq'], fields: [
    { name: 'filters', type: 'int', label: 'Filters', value: '32' },
    { name: 'dilations', type: 'ints', label: 'Dilations', value: '1,2,4,8,1,2,4,8' },
    { name: 'gated', type: 'bool', label: 'Gated activations', value: false },
  ] },
};

/** The training settings of neural kinds, with the service's defaults. */
export const trainingFields = [
  { name: 'epochs', type: 'int', label: 'Epochs', value: '100' },
  { name: 'batchSize', type: 'int', label: 'Batch size', value: '32' },
  { name: 'optimizer', type: 'choice', label: 'Optimizer', value: 'adam', choices: ['adam', 'nadam', 'sgd'] },
  { name: 'learningRate', type: 'number', label: 'Learning rate', value: '', hint: 'default 0.001 (sgd 0.01)' },
  { name: 'momentum', type: 'number', label: 'Momentum (sgd)', value: '' },
  { name: 'loss', type: 'choice', label: 'Loss', value: 'huber', choices: ['huber', 'mse', 'mae'] },
  { name: 'patience', type: 'int', label: 'Patience', value: '' , hint: 'early stopping on validation MAE' },
  { name: 'seed', type: 'int', label: 'Seed', value: '42' },
];

/** Reads a field's input into a request value; undefined when blank. */
export function readField(spec, input) {
  if (spec.type === 'bool') return input.checked || undefined;
  const text = input.value.trim();
  if (!text) return undefined;
  if (spec.type === 'int' || spec.type === 'number') return Number(text);
  if (spec.type === 'ints') return text.split(/[\s,]+/).filter(Boolean).map(Number);
  return text;
}
