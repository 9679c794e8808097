// Wires the page: examples, the Analyse button and Ctrl+Enter, both models in parallel, status messages.
import { ApiError, classify, models, tagEntities } from './api.js';
import { renderEntities, renderModels, renderSentiment } from './render.js';

const textBox = document.getElementById('text');
const analyseButton = document.getElementById('analyse');
const status = document.getElementById('status');

// state: "busy" while the models answer, "done" after (tests and assistive tech wait on it).
function say(message, kind = 'info', state = 'done') {
  status.textContent = message;
  status.dataset.kind = kind;
  status.dataset.state = state;
}

function explain(error, task) {
  if (!(error instanceof ApiError)) return `${task}: ${error}`;
  if (error.status === 503) return `${task}: model not loaded yet — ${error.detail || error.title}. Try again in a moment.`;
  return `${task}: ${error.message}`;
}

async function analyse() {
  const text = textBox.value;
  if (text.trim() === '') {
    say('Type some text first.', 'error');
    textBox.focus();
    return;
  }
  analyseButton.disabled = true;
  say('Analysing…', 'info', 'busy');
  const [sentiment, entities] = await Promise.allSettled([classify(text), tagEntities(text)]);
  const problems = [];
  if (sentiment.status === 'fulfilled') renderSentiment(sentiment.value, text);
  else { document.getElementById('sentiment').hidden = true; problems.push(explain(sentiment.reason, 'Sentiment')); }
  if (entities.status === 'fulfilled') renderEntities(entities.value, text);
  else { document.getElementById('entities').hidden = true; problems.push(explain(entities.reason, 'Entities')); }
  say(problems.length ? problems.join(' ') : 'Done.', problems.length ? 'error' : 'info');
  analyseButton.disabled = false;
  refreshModels();
}

async function refreshModels() {
  try {
    renderModels(await models());
  } catch (error) {
    document.getElementById('models').textContent = `Models: ${error.message}`;
  }
}

analyseButton.addEventListener('click', analyse);
textBox.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    analyse();
  }
});
for (const example of document.querySelectorAll('button.example')) {
  example.addEventListener('click', () => {
    textBox.value = example.dataset.text;
    analyse();
  });
}
refreshModels();
