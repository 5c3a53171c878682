'use strict';

/*
 * EnergyTrade analysts' page: two views, #pair?… and #partners?…, whose whole state lives in the
 * hash so every view is a link and Back works. Figures arrive as exact decimal strings; they are
 * formatted as strings and only turned into Numbers to draw the chart.
 */

const DEFAULT_PAIR = Object.freeze({
  country: 'AZ', partner: 'BY', from: '2020-01', to: '2020-04',
  flow: 'exports', unit: 'barrels', shipper: '', buyer: '', grade: '', period: 'loading', stackBy: 'origin',
});
const DEFAULT_PARTNERS = Object.freeze({ country: 'BY', from: '2020-01', to: '2020-04', orderBy: 'turnover' });

const FLOWS = ['exports', 'imports'];
const UNITS = ['barrels', 'kbd'];
const PERIODS = ['loading', 'delivery'];
const ORDERS = ['turnover', 'barrels'];
const FILTERS = ['shipper', 'buyer', 'grade'];
// What the bars can be stacked by: the oil's origin, or one of Trade's dimensions (the server's stackBy).
const STACKS = { origin: 'origin', shipper: 'shipper', buyer: 'buyer', grade: 'grade', loadPort: 'load port', dischargePort: 'discharge port' };

const DASH = '—';
const UNDISCLOSED = 'undisclosed';
const LIVE_DEBOUNCE_MS = 150;
const LIVE_REOPEN_MS = 3000;

// Fixed order so an origin keeps its colour for the whole session; all are ≥ 3:1 against white.
const PALETTE = ['#1f5fa8', '#c8631b', '#2e7d32', '#b3261e', '#6a3fa0', '#00796b', '#8d6e00', '#ad1457', '#455a64', '#5d7f00'];
const UNDISCLOSED_COLOUR = '#767676';
const PREVIOUS_YEAR_COLOUR = '#1b1f24';

const INTEGER_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const PERCENT_FORMAT = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' });

const app = {
  started: false,
  view: null,
  lastHash: null,
  pair: { ...DEFAULT_PAIR },
  partners: { ...DEFAULT_PARTNERS },
  loadSeq: 0,            // the newest main load; older answers are dropped
  request: null,         // AbortController of the main load in flight
  series: null,          // the /api/series answer on screen
  renderedPair: null,    // the selection that answer belongs to (app.pair may already be newer)
  chart: null,
  chartUnit: 'barrels',
  colours: new Map(),
  // `unseen`: a totals event arrived after the newest load started; `latest`: its updateTime.
  live: { source: null, url: null, debounce: 0, reopen: 0, unseen: false, latest: null },
  drill: { controller: null, trigger: null },
};

const $ = (id) => document.getElementById(id);

/* ---------- Exact decimal formatting ---------- */

const DECIMAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** Splits a decimal string into sign, integer digits and fraction digits, or null if it is not one. */
function splitDecimal(text) {
  const match = DECIMAL_RE.exec(String(text).trim());
  if (!match || (match[2] === '' && !match[3])) return null;
  return { negative: match[1] === '-', int: match[2].replace(/^0+(?=\d)/, '') || '0', frac: match[3] || '' };
}

/** Rounds half away from zero on the digits themselves, so no digit passes through a double. */
function roundDigits(parts, digits) {
  if (parts.frac.length <= digits) return { ...parts, frac: parts.frac.padEnd(digits, '0') };
  const kept = BigInt(parts.int + parts.frac.slice(0, digits));
  const rounded = (kept + (parts.frac[digits] >= '5' ? 1n : 0n)).toString().padStart(digits + 1, '0');
  const cut = rounded.length - digits;
  return { negative: parts.negative, int: rounded.slice(0, cut), frac: rounded.slice(cut) };
}

/**
 * en-US grouping of a decimal string. Without `digits` the value is shown exactly (trailing zeros of
 * the fraction dropped); with it, rounded to that many places. Intl formats the integer part as a
 * BigInt so even very large figures keep every digit.
 */
function formatDecimal(text, digits) {
  if (text === null || text === undefined || text === '') return DASH;
  let parts = splitDecimal(text);
  if (!parts) return String(text);
  parts = digits === undefined ? { ...parts, frac: parts.frac.replace(/0+$/, '') } : roundDigits(parts, digits);
  const isZero = /^0*$/.test(parts.int + parts.frac);
  const sign = parts.negative && !isZero ? '-' : '';
  return sign + INTEGER_FORMAT.format(BigInt(parts.int)) + (parts.frac ? '.' + parts.frac : '');
}

/** Barrels per day to thousands by moving the decimal point: exact, unlike dividing a double. */
function divideBy1000(text) {
  const parts = splitDecimal(text);
  if (!parts) return null;
  const int = parts.int.padStart(4, '0');
  return (parts.negative ? '-' : '') + int.slice(0, -3) + '.' + int.slice(-3) + parts.frac;
}

function formatKbd(barrelsPerDay) {
  if (barrelsPerDay === null || barrelsPerDay === undefined || barrelsPerDay === '') return DASH;
  return formatDecimal(divideBy1000(barrelsPerDay), 1);
}

function formatUsd(text, digits) {
  const formatted = formatDecimal(text, digits);
  if (formatted === DASH) return DASH;
  return formatted.startsWith('-') ? '-$' + formatted.slice(1) : '$' + formatted;
}

function formatCount(count) {
  return count === null || count === undefined ? DASH : formatDecimal(String(count));
}

/** A flow's (or origin's) figure in the chosen unit, as a display string. */
function formatInUnit(figures, unit) {
  if (!figures) return unit === 'kbd' ? '0.0' : '0';
  return unit === 'kbd' ? formatKbd(figures.barrelsPerDay) : formatDecimal(figures.barrels);
}

/** Percent change for a headline: only a ratio, so Numbers are precise enough here. */
function percentChange(current, previous) {
  const cur = Number(current);
  const prev = Number(previous);
  if (!Number.isFinite(cur) || !Number.isFinite(prev) || prev === 0) return DASH;
  return PERCENT_FORMAT.format(((cur - prev) / Math.abs(prev)) * 100) + ' %';
}

/** A deterministic UTC time, so the text is the same for every analyst and every test run. */
function formatUpdateTime(iso) {
  if (!iso) return DASH;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return date.toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
}

/* ---------- Small DOM helpers ---------- */

/** Creates an element; attributes with null/false values are left out, `on…` keys become listeners. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

function headerRow(headings) {
  return el('tr', {}, headings.map((h) => el('th', { scope: 'col', class: h.numeric ? 'num' : null }, h.text)));
}

function emptyRow(columns, text) {
  return el('tr', {}, el('td', { colspan: columns, class: 'empty' }, text));
}

/* ---------- Busy state, errors ---------- */

/** `data-state` is what tests wait on; aria-busy tells assistive technology to hold off. */
function setBusy(busy, state) {
  const main = $('main');
  main.setAttribute('aria-busy', String(busy));
  if (state) main.dataset.state = state;
}

function showError(message) {
  $('error').textContent = message;
}

function clearError() {
  $('error').textContent = '';
}

class ApiError extends Error {}

/** GETs JSON; a non-2xx answer becomes an ApiError with the server's own message. */
async function getJson(url, signal) {
  let response;
  try {
    response = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError('The page could not reach the server; check the connection and try again.');
  }
  let body = null;
  try { body = await response.json(); } catch { /* an empty or non-JSON body is reported below */ }
  if (response.status === 401) {
    throw new ApiError('Your sign-in has ended. Reload the page to sign in again.');
  }
  if (!response.ok) {
    throw new ApiError(body && typeof body.error === 'string' && body.error
      ? body.error
      : `The server answered ${response.status} ${response.statusText}`.trim() + '.');
  }
  if (body === null) throw new ApiError('The server sent an answer the page could not read.');
  return body;
}

/* ---------- State ⇄ hash and queries ---------- */

function pick(value, allowed, fallback) {
  return allowed.includes(value) ? value : fallback;
}

function pairFromParams(params) {
  const state = { ...DEFAULT_PAIR };
  for (const key of Object.keys(DEFAULT_PAIR)) {
    if (params.has(key)) state[key] = params.get(key).trim();
  }
  state.country = state.country.toUpperCase();
  state.partner = state.partner.toUpperCase();
  state.flow = pick(state.flow, FLOWS, DEFAULT_PAIR.flow);
  state.unit = pick(state.unit, UNITS, DEFAULT_PAIR.unit);
  state.period = pick(state.period, PERIODS, DEFAULT_PAIR.period);
  state.stackBy = pick(state.stackBy, Object.keys(STACKS), DEFAULT_PAIR.stackBy);
  return state;
}

function partnersFromParams(params) {
  const state = { ...DEFAULT_PARTNERS };
  for (const key of Object.keys(DEFAULT_PARTNERS)) {
    if (params.has(key)) state[key] = params.get(key).trim();
  }
  state.country = state.country.toUpperCase();
  state.orderBy = pick(state.orderBy, ORDERS, DEFAULT_PARTNERS.orderBy);
  return state;
}

function parseHash(hash) {
  const match = /^#(pair|partners)(?:\?(.*))?$/.exec(hash);
  if (!match) return null;
  const params = new URLSearchParams(match[2] || '');
  return match[1] === 'pair'
    ? { view: 'pair', state: pairFromParams(params) }
    : { view: 'partners', state: partnersFromParams(params) };
}

/** The series selection as query parameters; defaults and empty filters are left out. */
function seriesParams(state) {
  const params = new URLSearchParams({ country: state.country, partner: state.partner, from: state.from, to: state.to });
  for (const key of FILTERS) if (state[key]) params.set(key, state[key]);
  if (state.period !== DEFAULT_PAIR.period) params.set('period', state.period);
  if (state.stackBy !== DEFAULT_PAIR.stackBy) params.set('stackBy', state.stackBy);
  return params;
}

function pairHash(state) {
  const params = seriesParams(state);
  if (state.flow !== DEFAULT_PAIR.flow) params.set('flow', state.flow);
  if (state.unit !== DEFAULT_PAIR.unit) params.set('unit', state.unit);
  return '#pair?' + params;
}

function partnersParams(state) {
  const params = new URLSearchParams({ country: state.country });
  if (state.from) params.set('from', state.from);
  if (state.to) params.set('to', state.to);
  if (state.orderBy !== DEFAULT_PARTNERS.orderBy) params.set('orderBy', state.orderBy);
  return params;
}

function partnersHash(state) {
  return '#partners?' + partnersParams(state);
}

/** Who ships to whom in the selected (or given) flow. */
function flowParties(state, flow = state.flow) {
  return flow === 'exports'
    ? { exporter: state.country, importer: state.partner }
    : { exporter: state.partner, importer: state.country };
}

function flowLabel(state, flow = state.flow) {
  const { exporter, importer } = flowParties(state, flow);
  return `${flow === 'exports' ? 'Exports' : 'Imports'} ${exporter}→${importer}`;
}

function unitLabel(unit) {
  return unit === 'kbd' ? 'kb/d' : 'barrels';
}

/** Every month from..to as YYYY-MM; the table and chart follow the asked range, not the answer's gaps. */
function monthRange(from, to) {
  const months = [];
  let [year, month] = from.split('-').map(Number);
  const [lastYear, lastMonth] = to.split('-').map(Number);
  if (!year || !month || !lastYear || !lastMonth) return months;
  while ((year < lastYear || (year === lastYear && month <= lastMonth)) && months.length < 1200) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) { month = 1; year += 1; }
  }
  return months;
}

function yearEarlier(month) {
  const [year, mm] = month.split('-');
  return `${Number(year) - 1}-${mm}`;
}

/* ---------- Routing ---------- */

/** Makes the current hash the page's state and loads the view it names. */
function route() {
  const parsed = parseHash(location.hash);
  if (!parsed) {
    // Unknown or empty hash: show the default pair under its canonical, linkable address.
    history.replaceState(null, '', pairHash(app.pair));
    route();
    return;
  }
  app.lastHash = location.hash;
  const viewChanged = parsed.view !== app.view;
  app.view = parsed.view;
  app[parsed.view] = parsed.state;
  showView(parsed.view, viewChanged && app.started);
  updateNav();
  if (parsed.view === 'pair') {
    writePairForm(app.pair);
    loadPair();
  } else {
    closeLive();
    closeDrill(false);
    writePartnersForm(app.partners);
    loadPartners();
  }
  app.started = true;
}

function onHashChange() {
  // Our own navigate() already routed this hash.
  if (location.hash !== app.lastHash) route();
}

/** Goes to a hash, reloading even when it is the one already shown (a second "Show"). */
function navigate(hash) {
  if (location.hash !== hash) location.hash = hash;
  route();
}

function showView(view, moveFocus) {
  $('view-pair').hidden = view !== 'pair';
  $('view-partners').hidden = view !== 'partners';
  // Only on a real switch: a resubmitted form keeps its focus.
  if (moveFocus) $(view === 'pair' ? 'pair-title' : 'partners-title').focus();
}

function updateNav() {
  const pairLink = $('nav-pair');
  const partnersLink = $('nav-partners');
  pairLink.href = pairHash(app.pair);
  partnersLink.href = partnersHash(app.partners);
  pairLink.toggleAttribute('aria-current', false);
  partnersLink.toggleAttribute('aria-current', false);
  (app.view === 'pair' ? pairLink : partnersLink).setAttribute('aria-current', 'page');
}

/** Starts a main load: cancels the previous one and returns its token. */
function beginLoad(quiet) {
  app.request?.abort();
  app.request = new AbortController();
  app.loadSeq += 1;
  // This load reads figures at least as new as any event so far.
  app.live.unseen = false;
  setBusy(true, quiet ? null : 'loading');
  return { seq: app.loadSeq, signal: app.request.signal };
}

function isCurrent(load) {
  return load.seq === app.loadSeq;
}

function endLoad(load) {
  if (!isCurrent(load)) return;
  app.request = null;
  setBusy(false, 'ready');
}

/* ---------- Pair view: form ---------- */

function writePairForm(state) {
  const form = $('pair-form');
  for (const key of ['country', 'partner', 'from', 'to', 'shipper', 'buyer', 'grade']) form.elements[key].value = state[key];
  form.elements.unit.value = state.unit;
  form.elements.period.value = state.period;
  form.elements.stackBy.value = state.stackBy;
  $(state.flow === 'imports' ? 'pair-flow-imports' : 'pair-flow-exports').checked = true;
  updateFlowLabels();
}

function readPairForm() {
  const form = $('pair-form');
  const value = (name) => String(form.elements[name].value || '').trim();
  return {
    country: value('country').toUpperCase(),
    partner: value('partner').toUpperCase(),
    from: value('from'),
    to: value('to'),
    flow: pick(form.elements.flow.value, FLOWS, DEFAULT_PAIR.flow),
    unit: pick(value('unit'), UNITS, DEFAULT_PAIR.unit),
    shipper: value('shipper'),
    buyer: value('buyer'),
    grade: value('grade'),
    period: pick(value('period'), PERIODS, DEFAULT_PAIR.period),
    stackBy: pick(value('stackBy'), Object.keys(STACKS), DEFAULT_PAIR.stackBy),
  };
}

/** The flow choices name the direction with the codes as typed, so the choice is never ambiguous. */
function updateFlowLabels() {
  const form = $('pair-form');
  const codes = {
    country: form.elements.country.value.trim().toUpperCase() || '??',
    partner: form.elements.partner.value.trim().toUpperCase() || '??',
  };
  $('pair-flow-exports-text').textContent = flowLabel(codes, 'exports');
  $('pair-flow-imports-text').textContent = flowLabel(codes, 'imports');
}

function onPairSubmit(event) {
  event.preventDefault();
  navigate(pairHash(readPairForm()));
}

/* ---------- Pair view: loading ---------- */

/**
 * Loads /api/series for the current selection. A live refresh is quiet: it keeps what is shown
 * (and data-state) until the new answer is there, and keeps an open drill-down.
 */
async function loadPair({ live = false } = {}) {
  const state = app.pair;
  const load = beginLoad(live);
  if (!live) clearError();
  try {
    const data = stackedBy(state, await getJson('/api/series?' + seriesParams(state), load.signal));
    if (!isCurrent(load)) return;
    renderPair(state, data);
    if (!live) closeDrill(false);
    clearError();
    // Only a selection the server accepted is watched, so a bad one does not retry a refused stream.
    openLive(state);
  } catch (err) {
    if (err.name === 'AbortError' || !isCurrent(load)) return;
    showError(err.message);
    // Figures of an earlier selection under the new form would mislead; a failed live refresh keeps them.
    if (!live) {
      $('pair-results').hidden = true;
      app.series = null;
      app.renderedPair = null;
      closeLive();
    }
  } finally {
    endLoad(load);
    // An event that came while this load was in flight may be newer than what it read.
    if (isCurrent(load) && app.view === 'pair' && app.live.unseen) refreshIfStale();
  }
}

/* ---------- Pair view: rendering ---------- */

/**
 * Bars stacked by a dimension other than origin: every flow's groups take the place of its origins, so the
 * figures, chart, table and drill-down draw them alike. An empty key (no buyer or port recorded) reads as
 * "not recorded".
 */
function stackedBy(state, data) {
  if (state.stackBy === 'origin') return data;
  const regroup = (flow) => {
    if (flow) flow.byOrigin = (flow.groups || []).map((g) => ({ ...g, origin: g.key, undisclosed: !g.key }));
  };
  for (const part of [data, data.previousYear]) {
    if (!part) continue;
    regroup(part.totals?.exports);
    regroup(part.totals?.imports);
    for (const month of part.months || []) { regroup(month.exports); regroup(month.imports); }
  }
  return data;
}

/** The dimension the shown bars are stacked by. */
function stackOf(state) {
  return (state || app.renderedPair || app.pair)?.stackBy || 'origin';
}

function originKey(origin) {
  return origin.undisclosed || !origin.origin ? UNDISCLOSED : origin.origin;
}

function originLabel(key, state) {
  if (stackOf(state) !== 'origin') return key === UNDISCLOSED ? `No ${STACKS[stackOf(state)]} recorded` : key;
  return key === UNDISCLOSED ? 'Undisclosed origin' : key;
}

function colourFor(key) {
  if (key === UNDISCLOSED) return UNDISCLOSED_COLOUR;
  if (!app.colours.has(key)) app.colours.set(key, PALETTE[app.colours.size % PALETTE.length]);
  return app.colours.get(key);
}

function findOrigin(flow, key) {
  return (flow?.byOrigin || []).find((o) => originKey(o) === key) || null;
}

/** Origins in the order of the range's totals (the server's order), then any seen only in a month. */
function originsOf(data, flowName) {
  const keys = [];
  const add = (origin) => { const key = originKey(origin); if (!keys.includes(key)) keys.push(key); };
  (data.totals?.[flowName]?.byOrigin || []).forEach(add);
  for (const month of data.months || []) (month[flowName]?.byOrigin || []).forEach(add);
  return keys;
}

/** Months of the range with their flow and the same month a year earlier, looked up by name. */
function monthRows(state, data) {
  const byMonth = new Map((data.months || []).map((m) => [m.month, m]));
  const earlier = new Map((data.previousYear?.months || []).map((m) => [m.month, m]));
  const names = monthRange(data.from || state.from, data.to || state.to);
  const list = names.length ? names : [...byMonth.keys()];
  return list.map((month) => ({
    month,
    flow: byMonth.get(month)?.[state.flow] || null,
    previousMonth: yearEarlier(month),
    previous: earlier.get(yearEarlier(month))?.[state.flow] || null,
  }));
}

function renderPair(state, data) {
  app.series = data;
  app.renderedPair = state;
  // Shown before drawing so the chart measures a visible box.
  $('pair-results').hidden = false;
  $('pair-title').textContent = `Trade of ${state.country} with ${state.partner}`;
  renderUpdated(data.updateTime);
  renderFigures(state, data);
  const rows = monthRows(state, data);
  const origins = originsOf(data, state.flow);
  renderChart(state, data, rows, origins);
  renderMonthTable(state, data, rows, origins);
  $('series-csv').href = '/api/series.csv?' + seriesParams(state) + '&flow=' + state.flow;
}

function renderUpdated(updateTime) {
  const time = $('updated');
  time.textContent = formatUpdateTime(updateTime);
  if (updateTime) time.setAttribute('datetime', updateTime);
  else time.removeAttribute('datetime');
}

/** One dt/dd pair, wrapped in a div (allowed in a dl) so the pairs can be laid out as tiles. */
function figure(term, value, testId, extraClass) {
  return el('div', { class: 'figure' + (extraClass ? ' ' + extraClass : '') },
    el('dt', {}, term),
    el('dd', { 'data-testid': testId }, value));
}

/** The headline figures of one period; `prefix` keeps the test hooks of the two periods apart. */
function flowFigures(state, totals, prefix, change) {
  const flow = totals?.[state.flow];
  const items = [
    figure('Barrels', formatDecimal(flow?.barrels ?? '0'), prefix + 'total-barrels', 'figure--main'),
  ];
  if (change !== undefined) items.push(figure('Change on a year earlier', change, 'barrels-change'));
  items.push(figure('Thousand barrels per day (kb/d)', formatKbd(flow?.barrelsPerDay), prefix + 'total-kbd'));
  for (const origin of flow?.byOrigin || []) {
    const key = originKey(origin);
    const term = stackOf(state) !== 'origin' ? `Barrels, ${STACKS[stackOf(state)]} ${originLabel(key, state)}`
      : key === UNDISCLOSED ? 'Barrels of undisclosed origin' : `Barrels of ${key} origin`;
    items.push(figure(term, formatDecimal(origin.barrels), `${prefix}origin-barrels-${key}`, 'figure--origin'));
  }
  items.push(
    figure('Shipments', formatCount(flow?.shipmentCount ?? 0), prefix + 'shipment-count'),
    // Shipments without a recorded value count as none: "$0" would read as oil given away.
    figure('Value', flow && flow.shipmentCount > 0 && !flow.valuedShipmentCount ? 'not recorded'
      : formatUsd(flow?.value ?? '0', 0) + (flow && flow.valuedShipmentCount < flow.shipmentCount ? ` (${flow.valuedShipmentCount} of ${flow.shipmentCount} shipments valued)` : ''),
      prefix + 'value'),
    figure('Average price, $/bbl', formatUsd(flow?.averagePricePerBarrel, 2), prefix + 'price-per-barrel'),
    figure('Turnover, both directions', formatUsd(totals?.turnover ?? '0', 0), prefix + 'turnover'),
    figure(`Balance (exports − imports of ${state.country})`, formatUsd(totals?.balance ?? '0', 0), prefix + 'balance'),
  );
  return items;
}

function renderFigures(state, data) {
  const previous = data.previousYear || {};
  const current = data.totals?.[state.flow];
  const change = percentChange(current?.barrels ?? '0', previous.totals?.[state.flow]?.barrels ?? '0');
  $('totals-title').textContent = `${flowLabel(state)}, ${data.from || state.from} to ${data.to || state.to}`;
  $('current-title').textContent = `${data.from || state.from} to ${data.to || state.to}`;
  $('previous-title').textContent = previous.from ? `A year earlier, ${previous.from} to ${previous.to}` : 'A year earlier';
  $('current-figures').replaceChildren(...flowFigures(state, data.totals, '', change));
  $('previous-figures').replaceChildren(...flowFigures(state, previous.totals, 'prev-'));
}

function chartSummary(state) {
  const { exporter, importer } = flowParties(state);
  return `Monthly ${state.flow} ${exporter}→${importer} by ${STACKS[stackOf(state)]}, ${unitLabel(state.unit)}`;
}

/** A figure for the chart: the only place decimal strings become Numbers. */
function chartValue(figures, unit) {
  if (!figures) return 0;
  if (unit === 'kbd') return figures.barrelsPerDay === null || figures.barrelsPerDay === undefined ? null : Number(figures.barrelsPerDay) / 1000;
  return Number(figures.barrels);
}

function chartDatasets(state, rows, origins) {
  const bars = origins.map((key) => ({
    type: 'bar',
    label: originLabel(key),
    originKey: key,
    stack: 'current',
    order: 1,
    backgroundColor: colourFor(key),
    borderColor: '#ffffff',
    borderWidth: 1,
    data: rows.map((row) => chartValue(findOrigin(row.flow, key), state.unit)),
  }));
  const previous = {
    type: 'line',
    label: 'Same month a year earlier',
    previousYear: true,
    // A stack of its own, so the line is not piled onto the bars; lower order draws it on top.
    stack: 'previous',
    order: 0,
    borderColor: PREVIOUS_YEAR_COLOUR,
    // White fill makes the legend swatch a dashed outline, like the line itself.
    backgroundColor: '#ffffff',
    pointBackgroundColor: PREVIOUS_YEAR_COLOUR,
    borderDash: [6, 4],
    borderWidth: 2,
    pointRadius: 4,
    pointHoverRadius: 6,
    data: rows.map((row) => chartValue(row.previous, state.unit)),
  };
  return [...bars, previous];
}

function formatChartNumber(value) {
  if (value === null || value === undefined) return DASH;
  const digits = app.chartUnit === 'kbd' ? 1 : 0;
  return new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

function chartConfig() {
  return {
    type: 'bar',
    data: { labels: [], datasets: [] },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'nearest', intersect: true },
      plugins: {
        legend: { display: true, position: 'bottom', labels: { color: '#1b1f24' } },
        tooltip: {
          callbacks: {
            label: (ctx) => `${ctx.dataset.label}: ${formatChartNumber(ctx.parsed.y)} ${unitLabel(app.chartUnit)}`,
          },
        },
      },
      scales: {
        x: { stacked: true, ticks: { color: '#1b1f24' }, grid: { display: false } },
        y: {
          stacked: true,
          beginAtZero: true,
          ticks: { color: '#1b1f24', callback: (value) => formatChartNumber(value) },
          title: { display: true, text: '', color: '#1b1f24' },
        },
      },
      onClick: (event, _elements, chart) => onChartClick(event, chart),
      onHover: (event, elements, chart) => { chart.canvas.style.cursor = elements.length ? 'pointer' : 'default'; },
    },
  };
}

/** Keeps series the analyst hid in the legend hidden across a refresh. */
function carryHiddenDatasets(chart, datasets) {
  const hidden = new Set(chart.data.datasets
    .filter((_ds, index) => !chart.isDatasetVisible(index))
    .map((ds) => ds.label));
  for (const ds of datasets) if (hidden.has(ds.label)) ds.hidden = true;
}

function renderChart(state, data, rows, origins) {
  const canvas = $('series-chart');
  canvas.setAttribute('aria-label', chartSummary(state));
  if (typeof Chart === 'undefined') {
    // The table carries the same figures, so the page stays usable without the chart library.
    $('chart-unavailable').hidden = false;
    canvas.parentElement.hidden = true;
    return;
  }
  app.chartUnit = state.unit;
  if (!app.chart) app.chart = new Chart(canvas, chartConfig());
  const datasets = chartDatasets(state, rows, origins);
  carryHiddenDatasets(app.chart, datasets);
  app.chart.data.labels = rows.map((row) => row.month);
  app.chart.data.datasets = datasets;
  app.chart.options.scales.y.title.text = state.unit === 'kbd' ? 'Thousand barrels per day (kb/d)' : 'Barrels';
  app.chart.update();
}

function onChartClick(event, chart) {
  const hits = chart.getElementsAtEventForMode(event, 'nearest', { intersect: true }, true);
  if (!hits.length || !app.series) return;
  const { datasetIndex, index } = hits[0];
  const dataset = chart.data.datasets[datasetIndex];
  const row = monthRows(app.renderedPair, app.series)[index];
  if (!row) return;
  // The dashed line stands for the year-earlier month, so its points open that month's shipments.
  // The canvas cannot take focus, so Close returns to the table of the same figures.
  const trigger = $('months-wrap');
  if (dataset.previousYear) openDrill({ month: row.previousMonth, origin: null, trigger });
  else openDrill({ month: row.month, origin: dataset.originKey, trigger });
}

function renderMonthTable(state, data, rows, origins) {
  const unit = unitLabel(state.unit);
  const caption = `${chartSummary(state)}, ${data.from || state.from} to ${data.to || state.to}, with the same month a year earlier`;
  const headings = [
    { text: 'Month' },
    ...origins.map((key) => ({ text: originLabel(key), numeric: true })),
    { text: `Total, ${unit}`, numeric: true },
    { text: `Same month a year earlier, ${unit}`, numeric: true },
  ];
  const body = rows.map((row) => el('tr', { 'data-testid': `month-row-${row.month}` },
    el('th', { scope: 'row' }, row.month),
    origins.map((key) => el('td', { class: 'num' }, formatInUnit(findOrigin(row.flow, key), state.unit))),
    el('td', { class: 'num total-cell', 'data-testid': `month-total-${row.month}` },
      el('span', {}, formatInUnit(row.flow, state.unit)),
      el('button', {
        type: 'button',
        class: 'button button--small',
        'aria-label': `Shipments of ${row.month}`,
        onclick: (event) => openDrill({ month: row.month, origin: null, trigger: event.currentTarget }),
      }, 'Shipments')),
    el('td', { class: 'num' }, formatInUnit(row.previous, state.unit))));
  const totals = data.totals?.[state.flow];
  const foot = el('tr', {},
    el('th', { scope: 'row' }, 'Whole range'),
    origins.map((key) => el('td', { class: 'num' }, formatInUnit(findOrigin(totals, key), state.unit))),
    el('td', { class: 'num' }, formatInUnit(totals, state.unit)),
    el('td', { class: 'num' }, formatInUnit(data.previousYear?.totals?.[state.flow], state.unit)));
  const table = el('table', { class: 'data-table' },
    el('caption', {}, caption),
    el('thead', {}, headerRow(headings)),
    el('tbody', {}, body.length ? body : emptyRow(headings.length, 'No months in this range.')),
    el('tfoot', {}, foot));
  const wrap = $('months-wrap');
  wrap.setAttribute('aria-label', caption);
  wrap.replaceChildren(table);
}

/* ---------- Pair view: shipments behind a figure ---------- */

function drillOriginText(origin, state) {
  const stack = stackOf(state);
  if (!origin) return stack === 'origin' ? '(all origins)' : `(every ${STACKS[stack]})`;
  if (stack !== 'origin') return `(${STACKS[stack]} ${originLabel(origin, state)})`;
  return origin === UNDISCLOSED ? '(undisclosed origin)' : origin;
}

function shipmentsParams(state, month, origin) {
  const { exporter, importer } = flowParties(state);
  const params = new URLSearchParams({ exporter, importer, month });
  // The list should add up to the figure clicked, so it carries the same filters, and the bar's own value.
  for (const key of FILTERS) if (state[key]) params.set(key, state[key]);
  if (origin) params.set(stackOf(state), origin === UNDISCLOSED ? '-' : origin);
  if (state.period !== DEFAULT_PAIR.period) params.set('period', state.period);
  return params;
}

/** Opens the drill-down section, moves focus to its heading, then fills it. */
async function openDrill({ month, origin, trigger }) {
  const state = app.renderedPair;
  if (!state) return;
  app.drill.controller?.abort();
  const controller = new AbortController();
  app.drill.controller = controller;
  app.drill.trigger = trigger || null;

  const params = shipmentsParams(state, month, origin);
  const title = `Shipments behind ${month} ${drillOriginText(origin)}`;
  const section = $('shipments');
  section.hidden = false;
  section.setAttribute('aria-busy', 'true');
  $('shipments-title').textContent = title;
  $('shipments-csv').href = '/api/shipments.csv?' + params;
  $('shipments-wrap').setAttribute('aria-label', title);
  $('shipments-wrap').replaceChildren();
  $('shipments-status').textContent = 'Loading shipments…';
  $('shipments-title').focus();

  try {
    const data = await getJson('/api/shipments?' + params, controller.signal);
    if (controller !== app.drill.controller) return;
    const shipments = data.shipments || [];
    renderShipments(state, title, shipments);
    $('shipments-status').textContent = data.truncated
      ? `The first ${shipments.length} shipments; the CSV has them all.`
      : shipments.length === 1 ? '1 shipment.' : `${shipments.length} shipments.`;
  } catch (err) {
    if (err.name === 'AbortError' || controller !== app.drill.controller) return;
    $('shipments-status').textContent = 'The shipments could not be loaded.';
    showError(err.message);
  } finally {
    if (controller === app.drill.controller) section.removeAttribute('aria-busy');
  }
}

function renderShipments(state, title, shipments) {
  const headings = [
    { text: 'Loaded' }, { text: 'Delivered' }, { text: 'Load port' }, { text: 'Discharge port' }, { text: 'Shipper' }, { text: 'Buyer' },
    { text: 'Exporter' }, { text: 'Importer' }, { text: 'Origin' }, { text: 'Grade' },
    { text: 'Barrels', numeric: true }, { text: 'Tonnes', numeric: true }, { text: 'Value, USD', numeric: true },
  ];
  const rows = shipments.map((s) => el('tr', { 'data-testid': `shipment-row-${s.id}` },
    el('td', {}, s.loadDate || DASH),
    el('td', {}, s.deliveryDate || DASH),
    el('td', {}, s.loadPort || DASH),
    el('td', {}, s.dischargePort || DASH),
    el('th', { scope: 'row' }, s.shipper || DASH),
    el('td', {}, s.buyer || DASH),
    el('td', {}, s.exporter || DASH),
    el('td', {}, s.importer || DASH),
    el('td', {}, s.origin || 'Undisclosed'),
    el('td', {}, s.grade || DASH),
    el('td', { class: 'num' }, formatDecimal(s.barrels)),
    el('td', { class: 'num' }, formatDecimal(s.tonnes)),
    el('td', { class: 'num' }, formatUsd(s.value, 2))));
  const table = el('table', { class: 'data-table' },
    el('caption', {}, `${title}, ${flowLabel(state)}`),
    el('thead', {}, headerRow(headings)),
    el('tbody', {}, rows.length ? rows : emptyRow(headings.length, 'No shipments.')));
  $('shipments-wrap').replaceChildren(table);
}

/** Hides the drill-down; after the Close button, focus goes back to what opened it. */
function closeDrill(returnFocus) {
  app.drill.controller?.abort();
  app.drill.controller = null;
  const section = $('shipments');
  const wasOpen = !section.hidden;
  section.hidden = true;
  section.removeAttribute('aria-busy');
  if (returnFocus && wasOpen) {
    const trigger = app.drill.trigger;
    // A re-rendered table replaced the button that opened it; its table is the nearest equivalent.
    (trigger && trigger.isConnected ? trigger : $('months-wrap')).focus();
  }
  app.drill.trigger = null;
}

/* ---------- Pair view: live updates ---------- */

/**
 * The live stream covers the same selection as /api/series, so it is re-opened whenever that
 * selection changes; flow and unit only change how the same figures are shown.
 */
function liveUrl(state) {
  return '/api/live?' + seriesParams(state);
}

function setLiveStatus(text, mode) {
  const status = $('live-status');
  status.dataset.live = mode;
  if (status.textContent !== text) status.textContent = text;
}

function openLive(state) {
  const url = liveUrl(state);
  if (app.live.source && app.live.url === url) return;
  closeLive();
  if (typeof EventSource === 'undefined') {
    setLiveStatus('Live updates unavailable', 'off');
    return;
  }
  const source = new EventSource(url);
  app.live.source = source;
  app.live.url = url;
  setLiveStatus('Connecting…', 'connecting');
  source.addEventListener('open', () => { if (source === app.live.source) setLiveStatus('Live', 'live'); });
  source.addEventListener('totals', (event) => onLiveTotals(source, event));
  source.addEventListener('error', () => onLiveError(source));
}

function closeLive() {
  clearTimeout(app.live.debounce);
  clearTimeout(app.live.reopen);
  app.live.source?.close();
  app.live.source = null;
  app.live.url = null;
  app.live.unseen = false;
  setLiveStatus('', 'off');
}

function onLiveTotals(source, event) {
  if (source !== app.live.source) return;
  setLiveStatus('Live', 'live');
  let updateTime = null;
  try { updateTime = JSON.parse(event.data)?.updateTime ?? null; } catch { updateTime = null; }
  app.live.unseen = true;
  app.live.latest = updateTime;
  clearTimeout(app.live.debounce);
  // A burst of changes becomes one refetch.
  app.live.debounce = setTimeout(() => { if (source === app.live.source) refreshIfStale(); }, LIVE_DEBOUNCE_MS);
}

/** True when the figures on screen are the current selection's as of `updateTime`. */
function isShowing(updateTime) {
  return Boolean(app.series) && app.renderedPair === app.pair && (app.series.updateTime ?? null) === updateTime;
}

/**
 * Refetches after a totals event unless a load is already in flight (it re-checks when it ends)
 * or the screen already shows that update (the event sent right after connecting, usually).
 */
function refreshIfStale() {
  if (app.request || !app.live.unseen) return;
  if (isShowing(app.live.latest)) {
    app.live.unseen = false;
    return;
  }
  loadPair({ live: true });
}

function onLiveError(source) {
  if (source !== app.live.source) return;
  setLiveStatus('Reconnecting…', 'reconnecting');
  // EventSource retries by itself unless the server refused outright (CLOSED); then retry here.
  if (source.readyState === EventSource.CLOSED) {
    clearTimeout(app.live.reopen);
    app.live.reopen = setTimeout(() => {
      if (source !== app.live.source || app.view !== 'pair') return;
      app.live.source = null;
      openLive(app.pair);
    }, LIVE_REOPEN_MS);
  }
}

/* ---------- Partners view ---------- */

function writePartnersForm(state) {
  const form = $('partners-form');
  form.elements.country.value = state.country;
  form.elements.from.value = state.from;
  form.elements.to.value = state.to;
  form.elements.orderBy.value = state.orderBy;
}

function readPartnersForm() {
  const form = $('partners-form');
  const value = (name) => String(form.elements[name].value || '').trim();
  return {
    country: value('country').toUpperCase(),
    from: value('from'),
    to: value('to'),
    orderBy: pick(value('orderBy'), ORDERS, DEFAULT_PARTNERS.orderBy),
  };
}

function onPartnersSubmit(event) {
  event.preventDefault();
  navigate(partnersHash(readPartnersForm()));
}

async function loadPartners() {
  const state = app.partners;
  const load = beginLoad(false);
  clearError();
  try {
    const data = await getJson('/api/partners?' + partnersParams(state), load.signal);
    if (!isCurrent(load)) return;
    renderPartners(state, data);
  } catch (err) {
    if (err.name === 'AbortError' || !isCurrent(load)) return;
    showError(err.message);
    $('partners-results').hidden = true;
  } finally {
    endLoad(load);
  }
}

function rangeText(state) {
  if (state.from && state.to) return `${state.from} to ${state.to}`;
  if (state.from) return `from ${state.from}`;
  if (state.to) return `up to ${state.to}`;
  return 'all months';
}

/** The pair view of one partner, over the same months, in the direction that carried more. */
function partnerLink(state, partner, flow = 'exports') {
  const target = { ...DEFAULT_PAIR, country: state.country, partner, flow, from: state.from || DEFAULT_PAIR.from, to: state.to || DEFAULT_PAIR.to };
  return el('a', { href: pairHash(target) }, partner);
}

function renderPartners(state, data) {
  const country = data.country || state.country;
  $('partners-title').textContent = `Partners of ${country}`;
  const order = state.orderBy === 'barrels' ? 'barrels' : 'turnover value';
  const caption = `Trade partners of ${country}, ${rangeText(state)}, ranked by ${order}`;
  const headings = [
    { text: 'Rank', numeric: true }, { text: 'Partner' },
    { text: `Exports ${country}→partner, bbl`, numeric: true }, { text: `Imports partner→${country}, bbl`, numeric: true },
    { text: 'Turnover, USD', numeric: true }, { text: 'Balance, USD', numeric: true },
  ];
  const rows = (data.partners || []).map((p) => el('tr', { 'data-testid': `partner-row-${p.partner}` },
    el('td', { class: 'num' }, formatCount(p.rank)),
    el('th', { scope: 'row' }, partnerLink(state, p.partner, Number(p.importsBarrels) > Number(p.exportsBarrels) ? 'imports' : 'exports')),
    el('td', { class: 'num' }, formatDecimal(p.exportsBarrels)),
    el('td', { class: 'num' }, formatDecimal(p.importsBarrels)),
    el('td', { class: 'num' }, formatUsd(p.turnover, 2)),
    el('td', { class: 'num' }, formatUsd(p.balance, 2))));
  const table = el('table', { class: 'data-table' },
    el('caption', {}, caption),
    el('thead', {}, headerRow(headings)),
    el('tbody', {}, rows.length ? rows : emptyRow(headings.length, 'No trade in these months.')));
  $('partners-table-title').textContent = `Partners ranked by ${order}`;
  $('partners-wrap').setAttribute('aria-label', caption);
  $('partners-wrap').replaceChildren(table);
  $('partners-csv').href = '/api/partners.csv?' + partnersParams(state);
  $('partners-results').hidden = false;
}

/* ---------- Start ---------- */

function init() {
  $('pair-form').addEventListener('submit', onPairSubmit);
  $('partners-form').addEventListener('submit', onPartnersSubmit);
  $('pair-country').addEventListener('input', updateFlowLabels);
  $('pair-partner').addEventListener('input', updateFlowLabels);
  $('shipments-close').addEventListener('click', () => closeDrill(true));
  // The skip link must not change the hash: the hash is the page's state.
  $('skip-link').addEventListener('click', (event) => {
    event.preventDefault();
    $('main').focus();
  });
  window.addEventListener('hashchange', onHashChange);
  restoreViewAfterSignIn();
  route();
  showSignedIn();
}

/** The view the address named before signing in (kept by sign-in.js), unless the address names one now. */
function restoreViewAfterSignIn() {
  const saved = sessionStorage.getItem('energytrade.view');
  if (!saved) return;
  sessionStorage.removeItem('energytrade.view');
  if (!location.hash && saved.startsWith('#')) history.replaceState(null, '', saved);
}

/** Who is signed in, beside the Sign out button. */
async function showSignedIn() {
  try {
    const me = await getJson('/api/me');
    $('signed-in-as').textContent = me.name ? `Signed in as ${me.name}` : '';
  } catch {
    // The views report a lapsed sign-in themselves.
  }
}

init();
