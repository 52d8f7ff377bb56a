// Form fields for the queue form. The model kinds, their families, strategies and fields come from the service
// (GET /api/model-kinds); blank optional fields are left out of the request so that the service applies its defaults.
// type: integer | number | integers (comma-separated list) | boolean | choice, as the service names them.

/** The training settings of neural kinds, with the service's defaults. */
export const trainingFields = [
  { name: 'epochs', type: 'integer', label: 'Epochs', value: '100' },
  { name: 'batchSize', type: 'integer', label: 'Batch size', value: '32' },
  { name: 'optimizer', type: 'choice', label: 'Optimizer', value: 'adam', choices: ['adam', 'nadam', 'sgd'] },
  { name: 'learningRate', type: 'number', label: 'Learning rate', value: '', hint: 'default 0.001 (sgd 0.01)' },
  { name: 'momentum', type: 'number', label: 'Momentum (sgd)', value: '' },
  { name: 'loss', type: 'choice', label: 'Loss', value: 'huber', choices: ['huber', 'mse', 'mae'] },
  { name: 'patience', type: 'integer', label: 'Patience', value: '' , hint: 'early stopping on validation MAE' },
  { name: 'seed', type: 'integer', label: 'Seed', value: '42' },
];

const text = value => Array.isArray(value) ? value.join(',') : String(value);

/**
 * A model field as the service describes it, as a form field: labelled by its name, its description and default as
 * the hint; a required field is pre-filled with the service's example, a choice or a switch with its default.
 */
export function modelField(field) {
  const valued = field.type === 'choice' || field.type === 'boolean';
  const value = field.required && field.example !== undefined ? text(field.example) : valued ? field.default ?? '' : '';
  const hint = field.default === undefined || valued ? field.description : `${field.description} Default ${text(field.default)}.`;
  return { name: field.name, type: field.type, label: field.name, value, hint, choices: field.choices };
}

/** Reads a field's input into a request value; undefined when blank. */
export function readField(spec, input) {
  if (spec.type === 'boolean') return input.checked || undefined;
  const text = input.value.trim();
  if (!text) return undefined;
  if (spec.type === 'integer' || spec.type === 'number') return Number(text);
  if (spec.type === 'integers') return text.split(/[\s,]+/).filter(Boolean).map(Number);
  return text;
}
