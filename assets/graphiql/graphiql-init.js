// Starts GraphiQL on /graphql. Kept out of index.html so the page works under
// `Content-Security-Policy: script-src 'self'` (no inline script, no eval).
(function () {
  'use strict';

  var DEFAULT_QUERY = [
    '# Billing Portal API',
    '#',
    '# 1. Log in: fill in "email" and "password" in the',
    '#    Variables tab below, press the run button',
    '#    (or Ctrl-Enter) and pick "Login".',
    '#    Copy the "token" from the result.',
    '#',
    '# 2. Put the token into the Headers tab below:',
    '#      { "Authorization": "Bearer <token>" }',
    '#    then run "Dashboard", or any other query',
    '#    (the Docs button on the left lists them).',
    '#',
    '# Headers are not saved: after a reload, paste',
    '# the token again.',
    '',
    'mutation Login($email: String!, $password: String!) {',
    '  login(input: { email: $email, password: $password }) {',
    '    token',
    '    viewer {',
    '      email',
    '      role',
    '    }',
    '    userErrors {',
    '      field',
    '      message',
    '      code',
    '    }',
    '  }',
    '}',
    '',
    'query Dashboard {',
    '  account {',
    '    name',
    '    currentBalance {',
    '      amount {',
    '        amount',
    '        currencyCode',
    '      }',
    '      dueDate',
    '      isCredit',
    '    }',
    '  }',
    '}',
    ''
  ].join('\n');

  var DEFAULT_VARIABLES = '{\n  "email": "",\n  "password": ""\n}';

  // #query=…&variables=…&headers=…&operationName=… prefill the editors. In the
  // fragment, not the query string: a fragment never reaches the server (a token in
  // `headers` stays out of its logs), and GET /graphql?query=… is refused there.
  var params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  function param(name) {
    var value = params.get(name);
    return value === null ? undefined : value;
  }
  var query = param('query');
  var variables = param('variables');
  var headers = param('headers');
  var operationName = param('operationName');

  var props = {
    // Subscriptions over WebSocket on the same path; the Headers editor's Authorization travels in
    // connection_init, as the API asks.
    fetcher: GraphiQL.createFetcher({
      url: '/graphql',
      subscriptionUrl: (window.location.protocol === 'https:' ? 'wss://' : 'ws://') + window.location.host + '/graphql'
    }),
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
    // Tabs and variables (a password, while logging in) last as long as the browser tab only.
    storage: window.sessionStorage,
    defaultQuery: DEFAULT_QUERY,
    // Open the Variables/Headers panel; on the Headers tab when headers were given.
    defaultEditorToolsVisibility: headers !== undefined ? 'headers' : true
  };
  if (query === undefined && variables === undefined && headers === undefined) {
    // First visit without parameters: the guide above, with a Variables template.
    props.defaultTabs = [{ query: DEFAULT_QUERY, variables: DEFAULT_VARIABLES }];
  } else {
    if (query !== undefined) props.query = query;
    if (variables !== undefined) props.variables = variables;
    if (headers !== undefined) props.headers = headers;
    if (operationName !== undefined) props.operationName = operationName;
  }

  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, props));
})();
