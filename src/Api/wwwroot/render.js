// Builds the result panels with DOM nodes and textContent only: submitted text is never parsed as HTML.

const element = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

const percent = (p) => `${(p * 100).toFixed(1)}%`;
const signed = (v) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;

/**
 * Lays the text out as it was typed: the spans (sorted, non-overlapping, [start, end) in UTF-16 code
 * units) become nodes made by makeSpan, the text between them stays plain.
 */
function layOut(container, text, spans, makeSpan) {
  container.replaceChildren();
  let position = 0;
  for (const span of spans) {
    if (span.start > position) container.append(text.slice(position, span.start));
    container.append(makeSpan(span, text.slice(span.start, span.end)));
    position = span.end;
  }
  if (position < text.length) container.append(text.slice(position));
}

/** Colour on a red (negative) to green (positive) scale; strength in [0, 1]. Text stays dark for contrast. */
function contributionColour(towardsPositive, strength) {
  const alpha = (0.12 + 0.68 * strength).toFixed(2);
  return towardsPositive >= 0 ? `rgba(22, 163, 74, ${alpha})` : `rgba(220, 38, 38, ${alpha})`;
}

export function renderSentiment(result, text) {
  const positive = result.probabilities.positive ?? 0;
  document.getElementById('sentiment-label').textContent = result.label;
  document.getElementById('sentiment-label').dataset.label = result.label;
  document.getElementById('sentiment-score').textContent = `${percent(result.score)} confident`;
  const bar = document.getElementById('sentiment-bar');
  bar.setAttribute('aria-label', `probability positive ${percent(positive)}, negative ${percent(1 - positive)}`);
  document.getElementById('sentiment-bar-fill').style.width = percent(positive);

  // Contributions push towards the predicted label; shown here as "towards positive".
  const sign = result.label === 'positive' ? 1 : -1;
  const explanation = (result.explanation ?? []).map((t) => ({ ...t, towards: sign * t.contribution }));
  const largest = Math.max(1e-6, ...explanation.map((t) => Math.abs(t.towards)));
  layOut(document.getElementById('sentiment-tokens'), text, explanation, (token, slice) => {
    const node = element('span', 'token', slice);
    node.style.backgroundColor = contributionColour(token.towards, Math.abs(token.towards) / largest);
    node.title = `${signed(token.towards)} towards positive`;
    node.dataset.contribution = token.towards.toFixed(4);
    return node;
  });

  const rows = explanation.map((token) => {
    const row = element('tr');
    row.append(element('td', '', token.text), element('td', 'number', signed(token.towards)));
    return row;
  });
  document.querySelector('#sentiment-table tbody').replaceChildren(...rows);
  document.getElementById('sentiment').hidden = false;
}

export function renderEntities(result, text) {
  const entities = [...result.entities].sort((a, b) => a.start - b.start);
  layOut(document.getElementById('entities-text'), text, entities, (entity, slice) => {
    const mark = element('mark', `ent ent-${entity.type}`, slice);
    mark.title = `${entity.type}, score ${percent(entity.score)}`;
    mark.dataset.type = entity.type;
    mark.append(element('span', 'ent-type', entity.type));
    return mark;
  });
  document.getElementById('entities-none').hidden = entities.length > 0;
  document.getElementById('entities').hidden = false;
}

export function renderModels(slots) {
  const parts = slots.map((slot) =>
    slot.version ? `${slot.task}: ${slot.version} (${slot.status})` : `${slot.task}: ${slot.status === 'loading' ? 'model not loaded yet' : slot.status}`);
  document.getElementById('models').textContent = `Models — ${parts.join(' · ')}`;
}
