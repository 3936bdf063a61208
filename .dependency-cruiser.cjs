/**
 * The import rules of docs/architecture.md, enforced in `npm run lint`:
 * stats imports nothing of ours; domain may use stats; db may use domain (and config);
 * services may use domain, stats, db; api, cli and import go through services;
 * web sees domain, the API's request/response schema types, and its own API client.
 */
const layer = (name) => `^src/${name}/`;
module.exports = {
  forbidden: [
    {
      name: 'stats-is-pure',
      comment: 'src/stats holds pure numerics: it imports nothing else of ours.',
      severity: 'error',
      from: { path: layer('stats') },
      to: { path: '^src/', pathNot: layer('stats') },
    },
    {
      name: 'domain-is-pure',
      comment: 'src/domain is types and rules: it may use stats, nothing with I/O.',
      severity: 'error',
      from: { path: layer('domain') },
      to: { path: '^src/', pathNot: [layer('domain'), layer('stats')] },
    },
    {
      name: 'db-below-services',
      comment: 'src/db may use domain and config only.',
      severity: 'error',
      from: { path: layer('db') },
      to: { path: '^src/', pathNot: [layer('db'), layer('domain'), '^src/config\\.ts$'] },
    },
    {
      name: 'services-below-transport',
      comment: 'src/services may use domain, stats, db and config, never api, cli, import or web.',
      severity: 'error',
      from: { path: layer('services') },
      to: { path: [layer('api'), layer('cli'), layer('import'), layer('web')] },
    },
    {
      name: 'transport-goes-through-services',
      comment: 'api, cli and import reach the database only through services (type-only imports allowed).',
      severity: 'error',
      from: { path: [layer('api'), layer('cli'), layer('import')] },
      to: { path: layer('db'), dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'import-is-parsing-only',
      comment: 'src/import parses files into domain types; it does not call the api or cli.',
      severity: 'error',
      from: { path: layer('import') },
      to: { path: [layer('api'), layer('cli'), layer('web')] },
    },
    {
      name: 'api-not-cli',
      severity: 'error',
      from: { path: layer('api') },
      to: { path: [layer('cli'), layer('web')] },
    },
    {
      name: 'web-sees-domain-and-api-client',
      comment: 'The browser code uses domain types and rules, and type-only imports of the API schemas.',
      severity: 'error',
      from: { path: layer('web') },
      to: {
        path: '^src/',
        pathNot: [layer('web'), layer('domain')],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'web-types-only-from-api-schemas',
      severity: 'error',
      from: { path: layer('web') },
      to: { path: '^src/(?!web/|domain/)', pathNot: '^src/api/.+\\.schemas\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.test\\.tsx?$', '^src/web/.*\\.scss$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
