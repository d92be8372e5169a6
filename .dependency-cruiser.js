/**
 * The module rules of src/, checked by `npm run lint`.
 *
 * Each table has one owner: the module whose entities/ folder defines it. Another module reaches a
 * table only through the services the owner's module exports, so it never imports the owner's
 * entities, repositories or other internals. A module imports only modules below it (LAYERS); a
 * lower module that must ask a higher one states the question as an abstract class in its own
 * folder (catalog/catalog-showtimes.ts, halls/hall-showtimes.ts, schedules/live-claims.ts), injects
 * only that, and the higher module provides the answer from a small global module.
 *
 * dependency-cruiser sees imports, not SQL. The SQL rule, held by review: a module's statements
 * write, lock and ask about its own tables only; they may read a lower module's table along their
 * own table's foreign key (a showtime's movie title, an order's showtime) so that a list stays one
 * query. box-office is the one read model that names other modules' tables freely (see
 * box-office.repository.ts).
 */

/** Lowest first: a module may import the modules before it, never those after. */
const LAYERS = [
  ['config', '^src/config/'],
  ['database', '^src/database/'],
  ['common', '^src/common/'],
  // Where seat changes enter the live seat map: below the sale path that records them.
  ['seat-events', '^src/live-seats/(seat-events\\.|seat-change\\.ts$)'],
  ['idempotency', '^src/idempotency/'],
  // Email and SMS transports, for codes (auth) and ticket confirmations (notifications).
  ['messaging', '^src/messaging/'],
  ['users', '^src/users/'],
  ['auth', '^src/auth/'],
  ['catalog', '^src/catalog/'],
  ['merchants', '^src/merchants/'],
  ['halls', '^src/halls/'],
  ['schedules', '^src/schedules/'],
  // Promotion codes (CONTRACT section 13): below the sale path, which takes a use in a hold's transaction.
  ['vouchers', '^src/vouchers/'],
  // Payment channels, the providers' API clients and (to come) payment records, CONTRACT section 12:
  // below the sale path, which settles an order and its payment in one transaction.
  ['payments', '^src/payments/'],
  // The events of CONTRACT section 14: recorded in the sale path's transactions, so below it.
  ['outbox', '^src/outbox/'],
  ['ticketing', '^src/ticketing/'],
  // The stream itself, above ticketing whose seat map it sends.
  ['live-seats', '^src/live-seats/(?!seat-events\\.|seat-change\\.ts$)'],
  ['box-office', '^src/box-office/'],
  // Sends the outbox's events: webhooks, ticket emails and SMS.
  ['notifications', '^src/notifications/'],
  ['health', '^src/health/'],
  ['demo', '^src/demo/'],
  // The composition root: app.module.ts, main.ts and the other files directly under src/.
  ['app', '^src/[^/]+$'],
];

/** Infrastructure every module may use whole. */
const FOUNDATION = '^src/(common|config|database)/';

/** What a feature lets other modules import: its module, exported services, DTOs, questions and pure rules. */
const EXPORTED = {
  users: ['users.module.ts', 'users.service.ts', 'dto/'],
  auth: ['auth.module.ts', 'password.service.ts', 'rate-limit.ts'],
  idempotency: ['idempotency.module.ts', 'idempotent.decorator.ts'],
  catalog: [
    'catalog.module.ts',
    'cinema-access.service.ts',
    'cinemas.service.ts',
    'movies.service.ts',
    'movie-status.ts',
    'catalog-showtimes.ts',
    'dto/',
  ],
  merchants: ['merchants.module.ts'],
  halls: ['halls.module.ts', 'halls.service.ts', 'hall-layout.ts', 'hall-showtimes.ts', 'dto/'],
  schedules: [
    'schedules.module.ts',
    'schedules.service.ts',
    'schedule-queries.service.ts',
    'schedule-sales.service.ts',
    'live-claims.ts',
    'showtime-pricing.ts',
    'dto/',
  ],
  ticketing: ['ticketing.module.ts', 'seat-map.service.ts', 'hold-sweep.service.ts', 'dto/'],
  'live-seats': ['seat-events.module.ts', 'seat-events.service.ts', 'seat-change.ts', 'live-seats.module.ts'],
  vouchers: [
    'vouchers.module.ts',
    'vouchers.service.ts',
    'voucher-uses.ts',
    'voucher-holds.service.ts',
    'voucher-rules.ts',
    'dto/',
  ],
  payments: [
    'payments.module.ts',
    'payment-records.service.ts',
    'payment-providers.service.ts',
    'payment-provider.errors.ts',
    'dto/',
  ],
  'box-office': ['box-office.module.ts'],
  messaging: ['messaging.module.ts', 'mail.sender.ts', 'sms.sender.ts'],
  outbox: ['outbox.module.ts', 'outbox.service.ts'],
  notifications: ['notifications.module.ts'],
  health: ['health.module.ts'],
  demo: ['demo-data.module.ts', 'demo-data.service.ts'],
};


/** For good: this spec proves that the fast paths ticketing's DTOs register agree with the full pipe. */
const PERMANENT = [{ rule: 'layer-common', from: 'src/common/fast-validation.spec.ts', to: 'src/ticketing/dto/' }];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exported = Object.entries(EXPORTED).map(
  ([feature, files]) => `^src/${escape(feature)}/(${files.map((file) => escape(file)).join('|')})`,
);
const asList = (value) => (value === undefined ? [] : [value].flat());
const featureOf = (file) => file.split('/')[1];

/**
 * The rule, minus the excepted imports: files with an exception leave the rule, and come back in a
 * copy of it per file that leaves out only their excepted targets. `$1` in a rule's `to` is the
 * importing file's feature, so each copy's `from` captures it too.
 */
function withExceptions(rule) {
  const applies = (file) =>
    asList(rule.from.path).every((path) => new RegExp(path).test(file)) &&
    !asList(rule.from.pathNot).some((path) => new RegExp(path).test(file));
  const excepted = PERMANENT.filter((entry) => entry.rule === rule.name && applies(entry.from));
  const files = [...new Set(excepted.map((entry) => entry.from))];
  if (!files.length) return [rule];
  const fileRule = (file) => ({
    ...rule,
    from: { path: `^src/(${escape(featureOf(file))})/${escape(file.split('/').slice(2).join('/'))}$` },
    to: {
      ...rule.to,
      pathNot: [
        ...asList(rule.to.pathNot),
        ...excepted.filter((entry) => entry.from === file).map((entry) => `^${escape(entry.to)}`),
      ],
    },
  });
  const ruleWithout = {
    ...rule,
    from: { ...rule.from, pathNot: [...asList(rule.from.pathNot), ...files.map((file) => `^${escape(file)}$`)] },
  };
  return [ruleWithout, ...files.map(fileRule)];
}

const rules = [
  {
    name: 'no-circular',
    comment: 'No cycles, between modules or files: each reads, tests and changes from the bottom up.',
    from: {},
    to: { circular: true },
  },
  ...LAYERS.slice(0, -1).map(([name, path], index) => ({
    name: `layer-${name}`,
    comment: `${name} imports only what lies below it: ${
      LAYERS.slice(0, index)
        .map(([below]) => below)
        .join(', ') || 'nothing'
    }.`,
    from: { path },
    to: { path: LAYERS.slice(index + 1).map(([, above]) => above) },
  })),
  {
    name: 'no-foreign-entities',
    comment:
      "Another module's table is reached through the services its module exports, never its entities. " +
      "An entity may name a lower module's entity for a foreign key (the layers keep it pointing down).",
    from: { path: '^src/([^/]+)/', pathNot: '^src/[^/]+/entities/' },
    to: { path: '^src/[^/]+/entities/', pathNot: ['^src/$1/', FOUNDATION] },
  },
  {
    name: 'no-foreign-repositories',
    comment: "Another module's queries are its own: call the service its module exports.",
    from: { path: '^src/([^/]+)/' },
    to: { path: '\\.repository\\.ts$', pathNot: ['^src/$1/', FOUNDATION] },
  },
  {
    name: 'only-exported',
    comment:
      'Another module is used through what it exports (EXPORTED in .dependency-cruiser.js): its module, ' +
      'exported services, DTOs, the questions it asks of higher modules and its pure rules.',
    from: { path: '^src/([^/]+)/' },
    // Entities and repositories have their own rules above: one message per import.
    to: {
      path: '^src/[^/]+/',
      pathNot: ['^src/$1/', FOUNDATION, '^src/[^/]+/entities/', '\\.repository\\.ts$', ...exported],
    },
  },
];

module.exports = {
  forbidden: rules.flatMap(withExceptions).map((rule) => ({ severity: 'error', ...rule })),
  options: {
    includeOnly: '^src/',
    doNotFollow: { path: 'node_modules' },
    // `import type` counts too: a type from another module's entity file binds to its table all the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
