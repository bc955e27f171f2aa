// A real OpenID Connect provider for the external sign-in tests, started by OidcProviderProcess on a free port:
//   node provider.js <port> <client_id> <client_secret> <redirect_uri>[,<redirect_uri>...]
// Its development interactions serve the login and consent pages: any login (an email address) and any password
// sign in. The account's claims follow the login: "unverified..." has email_verified=false, "organizer..." carries
// roles ["box-office"]. Prints "listening <issuer>" once ready.
const Provider = require('oidc-provider').default ?? require('oidc-provider');

const [port, clientId, clientSecret, redirectUris] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: redirectUris.split(','),
    token_endpoint_auth_method: 'client_secret_post',
  }],
  scopes: ['openid', 'email', 'profile', 'roles'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], roles: ['roles'] },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const local = id.split('@')[0];
    return {
      accountId: id,
      async claims() {
        return {
          sub: `sub-${id}`,
          email: id,
          email_verified: !local.startsWith('unverified'),
          name: `Fan ${local}`,
          roles: local.startsWith('organizer') ? ['box-office'] : [],
        };
      },
    };
  },
});
provider.proxy = false;
provider.listen(Number(port), '127.0.0.1', () => console.log(`listening ${issuer}`));
