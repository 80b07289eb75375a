/**
 * The direction of dependencies (DESIGN §2, STYLE "Shape"), checked in `npm test`:
 * app → gateway, queues, adapters → schemas, certs. Tests may use testing/; nothing else may.
 */
const TEST = '\\.test\\.ts$|\\.kit\\.ts$|(^|/)vitest\\.config\\.ts$';
const SHELL = '^(app|cli|demo|testing|bench|security)/';
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'core-not-shell',
      comment: 'The core (gateway, queues, schemas, certs) and the adapters never import the app shell, the demo, the CLI or test helpers.',
      severity: 'error',
      from: { path: '^(gateway|queues|schemas|certs|adapters)/', pathNot: TEST },
      to: { path: SHELL },
    },
    {
      name: 'gateway-not-queues-or-adapters',
      comment: 'The gateway core knows no queue machinery and no adapter: the app wires them together.',
      severity: 'error',
      from: { path: '^gateway/', pathNot: TEST },
      to: { path: '^(queues|adapters)/' },
    },
    {
      name: 'schemas-and-certs-are-leaves',
      severity: 'error',
      from: { path: '^(schemas|certs)/' },
      to: { path: '^(gateway|queues|adapters|app|cli|demo|testing)/' },
    },
    {
      name: 'adapters-use-the-contract-only',
      comment: 'An adapter folder imports the adapter contract (adapters/types.ts), adapters/shared/, its own folder, schemas/ and certs/ only.',
      severity: 'error',
      from: { path: '^adapters/([^/]+)/', pathNot: ['^adapters/(shared|conformance)/', TEST] },
      to: { path: '^adapters/', pathNot: ['^adapters/types\\.ts$', '^adapters/shared/', '^adapters/$1/', '^adapters/conformance/simulated-system\\.ts$'] },
    },
    {
      name: 'clients-use-the-contract-only',
      comment: 'The typed client stands alone for integrators: it imports schemas/ (the contract and canonical JSON) and libraries, never the gateway.',
      severity: 'error',
      from: { path: '^clients/', pathNot: TEST },
      to: { path: '^(gateway|queues|adapters|app|cli|demo|testing|certs|bench|security)/' },
    },
    {
      name: 'console-uses-the-browser-client-only',
      comment: 'The web console reaches the gateway through the public API only: the typed browser client and the generated contract types.',
      severity: 'error',
      from: { path: '^console/src/' },
      to: { path: '^(?!console/src/|clients/(browser|problem)\\.ts$|schemas/generated/|node_modules/)' },
    },
    {
      name: 'adapters-not-the-core',
      severity: 'error',
      from: { path: '^adapters/', pathNot: TEST },
      to: { path: '^(gateway|queues)/' },
    },
    {
      name: 'domain-not-http',
      comment: 'Domain code (gateway/ outside http/) does not import the HTTP layer; the caller and its roles are domain types (gateway/access).',
      severity: 'error',
      from: { path: '^gateway/', pathNot: ['^gateway/http/', '^gateway/gateway\\.ts$', '^gateway/index\\.ts$', TEST] },
      to: { path: '^gateway/http/' },
    },
    {
      name: 'no-test-runner-in-production',
      comment: 'Production code never imports vitest; the conformance kit is test code.',
      severity: 'error',
      from: { pathNot: [TEST, '^adapters/conformance/kit\\.ts$', '^testing/'] },
      to: { path: 'node_modules/(vitest|@vitest)/' },
    },
    {
      name: 'kit-only-in-tests',
      severity: 'error',
      from: { pathNot: [TEST, '^adapters/conformance/'] },
      to: { path: '^adapters/conformance/kit\\.ts$' },
    },
    {
      name: 'testing-only-in-tests',
      severity: 'error',
      from: { pathNot: [TEST, '^testing/', '^bench/', '^security/'] },
      to: { path: '^testing/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
    exclude: { path: '^(schemas/generated|adapters/zz-scaffold-)' },
  },
};
