// The reference seat picker (CONTRACT section 16): plain DOM, the TTMS API under /api/v1 and its live seat map.
import { qrSvg } from './qr.js';

const API = '/api/v1';
const ZONE_COLOURS = ['#cfe3ff', '#ffe1a8', '#d7f5d0', '#f6d0f0', '#d9d4ff', '#ffd6d1', '#c9f0f0', '#f0eec0'];
const CHANNEL_LABELS = { mock: 'mock', alipay: 'Alipay', wechat: 'WeChat Pay' };
const $ = (id) => document.getElementById(id);

const state = {
  token: sessionStorage.getItem('ttms.token'),
  userName: sessionStorage.getItem('ttms.user'),
  captchaId: null,
  scheduleId: null,
  map: null,
  seats: new Map(),
  picked: new Set(),
  stream: null,
  order: null,
  timer: null,
  poll: null,
};

class ApiError extends Error {}

async function api(path, { method = 'GET', body, auth = false } = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (auth && state.token) headers.Authorization = `Bearer ${state.token}`;
  const response = await fetch(API + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const envelope = await response.json().catch(() => null);
  if (!envelope || envelope.code !== 1000) {
    if (envelope?.code === 1007 || envelope?.code === 1008) signOut();
    throw new ApiError(envelope?.msg ?? `The server answered HTTP ${response.status}`);
  }
  return envelope.data;
}

function showError(error) {
  $('alert').textContent = error instanceof Error ? error.message : String(error);
}
function clearError() {
  $('alert').textContent = '';
}
/** Runs an action, showing its error in the alert. */
function guarded(action) {
  return (...args) => {
    clearError();
    Promise.resolve(action(...args)).catch(showError);
  };
}

const key = (row, col) => `${row}-${col}`;
const yuan = (value) => `¥${Number(value).toFixed(2)}`;
const when = (iso) => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

function fillSelect(select, items, label, placeholder) {
  select.replaceChildren(new Option(placeholder, ''), ...items.map((item) => new Option(label(item), item.id)));
  select.disabled = items.length === 0;
}

// Choosing a showtime

async function loadMovies() {
  const movies = await api('/movies?status=showing&pageSize=100');
  fillSelect($('movie'), movies, (m) => m.title, movies.length ? 'Choose a movie' : 'No movies showing');
}

async function movieChosen() {
  fillSelect($('showtime'), [], () => '', 'Choose a cinema first');
  const movieId = $('movie').value;
  if (!movieId) return fillSelect($('cinema'), [], () => '', 'Choose a movie first');
  const cinemas = await api(`/cinemas?movieId=${movieId}&pageSize=100`);
  fillSelect(
    $('cinema'),
    cinemas,
    (c) => `${c.name} (${c.city})`,
    cinemas.length ? 'Choose a cinema' : 'No cinema shows it',
  );
}

async function cinemaChosen() {
  const movieId = $('movie').value;
  const cinemaId = $('cinema').value;
  if (!cinemaId) return fillSelect($('showtime'), [], () => '', 'Choose a cinema first');
  const showtimes = await api(`/schedules?movieId=${movieId}&cinemaId=${cinemaId}&pageSize=100`);
  const label = (s) => `${when(s.startsAt)}, ${s.hallName}, from ${yuan(s.price)}`;
  fillSelect($('showtime'), showtimes, label, showtimes.length ? 'Choose a showtime' : 'No showtimes left');
}

function showtimeChosen() {
  const id = Number($('showtime').value);
  if (id) void openShowtime(id).catch(showError);
}

// The live seat map

async function openShowtime(id) {
  const showtime = await api(`/schedules/${id}`);
  state.scheduleId = id;
  state.picked.clear();
  history.replaceState(null, '', `/?scheduleId=${id}`);
  $('map-title').textContent = `Seats: ${showtime.movieTitle}`;
  $('showtime-info').textContent = `${showtime.cinemaName}, ${showtime.hallName}, ${when(showtime.startsAt)}`;
  $('map-panel').hidden = false;
  state.stream?.close();
  const stream = new EventSource(`${API}/schedules/${id}/seats/stream`);
  state.stream = stream;
  stream.addEventListener('snapshot', (event) => {
    state.map = JSON.parse(event.data);
    state.seats = new Map(state.map.seats.map((seat) => [key(seat.row, seat.col), seat]));
    for (const k of state.picked) if (state.seats.get(k)?.status !== 'available') state.picked.delete(k);
    renderMap();
  });
  stream.addEventListener('seats', (event) => {
    for (const change of JSON.parse(event.data).seats) {
      const seat = state.seats.get(key(change.row, change.col));
      if (!seat) continue;
      seat.status = change.status;
      if (seat.status !== 'available') state.picked.delete(key(seat.row, seat.col));
      updateSeat(seat);
    }
    renderPicked();
  });
  return showtime;
}

function zoneColour(name) {
  const index = state.map.zones.findIndex((zone) => zone.name === name);
  return ZONE_COLOURS[Math.max(index, 0) % ZONE_COLOURS.length];
}

function renderMap() {
  const { rows, cols, zones, ticketTypes } = state.map;
  $('legend').replaceChildren(
    ...zones.map((zone) => {
      const item = document.createElement('li');
      item.innerHTML = `<span class="swatch" style="background:${zoneColour(zone.name)}"></span>`;
      item.append(`${zone.name}: ${yuan(zone.price)}`);
      return item;
    }),
    ...[
      ['picked', 'Picked'],
      ['held', 'Held'],
      ['sold', 'Sold'],
      ['couple', 'Couple seat (sold in pairs)'],
    ].map(([kind, text]) => {
      const item = document.createElement('li');
      item.innerHTML = `<span class="swatch ${kind}"></span>`;
      item.append(text);
      return item;
    }),
  );
  const grid = $('seats');
  grid.style.gridTemplateColumns = `2.2em repeat(${cols}, minmax(1.75rem, 2.5rem))`;
  const cells = [];
  for (let row = 1; row <= rows; row++) {
    const label = document.createElement('span');
    label.className = 'row-label';
    label.setAttribute('aria-hidden', 'true');
    label.textContent = row;
    cells.push(label);
    for (let col = 1; col <= cols; col++) {
      const seat = state.seats.get(key(row, col));
      const button = document.createElement('button');
      button.type = 'button';
      button.id = `seat-${row}-${col}`;
      button.className = 'seat';
      button.textContent = col;
      button.setAttribute('aria-label', `Row ${row}, seat ${col}`);
      button.addEventListener('click', () => toggleSeat(seat));
      cells.push(button);
    }
  }
  grid.replaceChildren(...cells);
  for (const seat of state.seats.values()) updateSeat(seat);
  const types = ticketTypes ?? [];
  $('ticket-type-field').hidden = types.length === 0;
  $('ticket-type').replaceChildren(
    new Option('Full price', ''),
    ...types.map((type) => new Option(`${type.name} (${yuan(type.discount)} off)`, type.name)),
  );
  renderPicked();
}

function updateSeat(seat) {
  const button = $(`seat-${seat.row}-${seat.col}`);
  if (!button) return;
  const picked = state.picked.has(key(seat.row, seat.col));
  button.disabled = seat.status !== 'available';
  button.dataset.status = seat.status;
  button.dataset.pair = seat.pair ?? '';
  button.setAttribute('aria-pressed', String(picked));
  button.style.background = seat.status === 'available' ? zoneColour(seat.zone) : '';
  const pair = seat.pair ? `, couple seat (${seat.pair} of a pair)` : '';
  const status = seat.status === 'available' ? '' : `, ${seat.status}`;
  button.title = `${seat.zone}, ${yuan(seat.price)}${pair}${status}`;
}

function partnerOf(seat) {
  if (seat.pair === 'left') return state.seats.get(key(seat.row, seat.col + 1));
  if (seat.pair === 'right') return state.seats.get(key(seat.row, seat.col - 1));
  return undefined;
}

function toggleSeat(seat) {
  clearError();
  const together = [seat, partnerOf(seat)].filter((s) => s && s.status === 'available');
  const picking = !state.picked.has(key(seat.row, seat.col));
  for (const s of together) {
    if (picking) state.picked.add(key(s.row, s.col));
    else state.picked.delete(key(s.row, s.col));
    updateSeat(s);
  }
  renderPicked();
}

function pickedSeats() {
  return [...state.picked].map((k) => state.seats.get(k)).sort((a, b) => a.row - b.row || a.col - b.col);
}

function renderPicked() {
  const seats = pickedSeats();
  const total = seats.reduce((sum, seat) => sum + Math.round(seat.price * 100), 0) / 100;
  $('picked-info').textContent = seats.length
    ? `Picked: ${seats.map((s) => `row ${s.row} seat ${s.col}`).join(', ')} (${yuan(total)} before ticket types)`
    : 'No seats picked.';
}

async function hold() {
  if (!state.token) throw new Error('Sign in to hold seats.');
  const seats = pickedSeats();
  if (!seats.length) throw new Error('Pick at least one seat first.');
  const ticketType = $('ticket-type').value || undefined;
  const order = await api('/orders', {
    method: 'POST',
    auth: true,
    body: { scheduleId: state.scheduleId, seats: seats.map(({ row, col }) => ({ row, col, ticketType })) },
  });
  state.picked.clear();
  for (const seat of seats) updateSeat(seat);
  renderPicked();
  await showOrder(order);
}

// The order: countdown, payment and ticket

async function showOrder(order) {
  state.order = order;
  $('order-panel').hidden = false;
  const seats = order.seats.map((s) => `row ${s.row} seat ${s.col}${s.ticketType ? ` (${s.ticketType})` : ''}`);
  $('order-info').textContent = `Order ${order.id}: ${seats.join(', ')}, ${yuan(order.amount)}, ${order.status}.`;
  clearInterval(state.timer);
  $('countdown').textContent = '';
  const pending = order.status === 'pending';
  if (pending) {
    tick();
    state.timer = setInterval(tick, 1000);
  }
  if (!pending) stopPolling();
  await renderPayButtons(pending);
  if (order.status === 'paid') await showTicket(order);
}

function tick() {
  const left = Math.max(0, Math.round((Date.parse(state.order.expiresAt) - Date.now()) / 1000));
  const clock = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
  $('countdown').textContent = left
    ? `Seats held for ${clock} more (until ${when(state.order.expiresAt)}).`
    : 'The hold has expired.';
  if (!left) {
    clearInterval(state.timer);
    stopPolling();
    $('pay-buttons').replaceChildren();
  }
}

let channels = null;
async function renderPayButtons(pending) {
  const box = $('pay-buttons');
  if (!pending) return box.replaceChildren();
  channels ??= await api('/payments/channels');
  box.replaceChildren(
    ...channels.map(({ channel }) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = `Pay with ${CHANNEL_LABELS[channel] ?? channel}`;
      button.addEventListener(
        'click',
        guarded(() => pay(channel)),
      );
      return button;
    }),
  );
}

async function pay(channel) {
  const order = await api(`/orders/${state.order.id}/pay`, {
    method: 'POST',
    auth: true,
    body: { channel, method: 'qr' },
  });
  if (order.status === 'paid') return showOrder(order);
  const code = order.payment?.qrCode;
  if (!code) throw new Error('The payment provider gave no code to scan.');
  $('provider').hidden = false;
  $('provider-code').textContent = code;
  const svg = qrSvg(code);
  $('provider-qr').hidden = !svg;
  if (svg) $('provider-qr').src = `data:image/svg+xml;base64,${btoa(svg)}`;
  stopPolling();
  state.poll = setInterval(
    guarded(async () => {
      const latest = await api(`/orders/${order.id}`, { auth: true });
      if (latest.status === 'pending') return;
      $('provider').hidden = true;
      await showOrder(latest);
    }),
    1500,
  );
}

function stopPolling() {
  clearInterval(state.poll);
  state.poll = null;
}

async function showTicket(order) {
  clearInterval(state.timer);
  $('countdown').textContent = 'Paid. Enjoy the film!';
  const response = await fetch(`${API}/orders/${order.id}/qrcode?format=svg`, {
    headers: { Authorization: `Bearer ${state.token}` },
  });
  if (!response.ok) {
    const envelope = await response.json().catch(() => null);
    throw new Error(envelope?.msg ?? 'The ticket QR code did not load.');
  }
  const svg = await response.text();
  $('ticket-qr').src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(svg)))}`;
  $('ticket-code').textContent = order.ticketCode;
  $('ticket').hidden = false;
}

// Signing in

async function newCaptcha() {
  const { captchaId, image } = await api('/captcha');
  state.captchaId = captchaId;
  $('captcha-image').src = image;
  $('captcha').value = '';
}

async function signIn(event) {
  event.preventDefault();
  try {
    const session = await api('/auth/login', {
      method: 'POST',
      body: {
        account: $('account').value.trim(),
        password: $('password').value,
        captchaId: state.captchaId,
        captchaCode: $('captcha').value.trim(),
      },
    });
    state.token = session.token;
    state.userName = session.user.name;
    sessionStorage.setItem('ttms.token', session.token);
    sessionStorage.setItem('ttms.user', session.user.name);
    $('password').value = '';
    renderAccount();
  } catch (error) {
    void newCaptcha().catch(() => undefined);
    throw error;
  }
}

function signOut() {
  state.token = null;
  state.userName = null;
  sessionStorage.removeItem('ttms.token');
  sessionStorage.removeItem('ttms.user');
  renderAccount();
}

function renderAccount() {
  const signedIn = Boolean(state.token);
  $('signin').hidden = signedIn;
  $('signed-in').hidden = !signedIn;
  $('user-name').textContent = state.userName ?? '';
  if (!signedIn) void newCaptcha().catch(showError);
}

let moviesLoaded = Promise.resolve();

function start() {
  $('movie').addEventListener('change', guarded(movieChosen));
  $('cinema').addEventListener('change', guarded(cinemaChosen));
  $('showtime').addEventListener('change', showtimeChosen);
  $('signin').addEventListener('submit', guarded(signIn));
  $('captcha-new').addEventListener('click', guarded(newCaptcha));
  $('signout').addEventListener('click', () => signOut());
  $('hold').addEventListener('click', guarded(hold));
  renderAccount();
  fillSelect($('cinema'), [], () => '', 'Choose a movie first');
  fillSelect($('showtime'), [], () => '', 'Choose a cinema first');
  moviesLoaded = loadMovies().catch(showError);
  const scheduleId = Number(new URLSearchParams(location.search).get('scheduleId'));
  if (scheduleId) guarded(openDirectly)(scheduleId);
}

/** `/?scheduleId=ID`: the seat map at once, and the lists set to that showtime. */
async function openDirectly(id) {
  const showtime = await openShowtime(id);
  await moviesLoaded;
  $('movie').value = String(showtime.movieId);
  await movieChosen();
  $('cinema').value = String(showtime.cinemaId);
  await cinemaChosen();
  $('showtime').value = String(id);
}

start();
