// A real OpenID Provider (the certified npm package oidc-provider) for the sign-in tests and `make staging`.
// Loopback only, in memory, with the test users of users.json. Started by tests/oidc_server.py, which passes
// TM_OIDC_CONFIG = {"port": …, "clients": [{client_id, client_secret, redirect_uris, post_logout_redirect_uris}]}.
// The login form is served here (a short name or e-mail address of users.json, any password); an unknown login is
// refused on the form itself, as an institution's identity provider would.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const config = JSON.parse(process.env.TM_OIDC_CONFIG || '{}');
const port = Number(config.port);
if (!port) {
  console.error('TM_OIDC_CONFIG mist een poort');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;

const users = JSON.parse(readFileSync(new URL('./users.json', import.meta.url), 'utf8'));
delete users._uitleg;

function userFor(login) {
  const wanted = String(login || '').trim().toLowerCase();
  const key = Object.keys(users).find((name) => name === wanted || users[name].email === wanted);
  return key ? { id: key, ...users[key] } : undefined;
}

async function findAccount(_ctx, id) {
  const user = userFor(id);
  if (!user) return undefined;
  return {
    accountId: user.id,
    async claims() {
      return {
        sub: user.id,
        email: user.email,
        email_verified: true,
        name: user.name,
        groups: user.groups,
        eduperson_entitlement: user.eduperson_entitlement,
      };
    },
  };
}

// First-party clients only: the user is not asked to consent (SURFconext asks once; a test need not).
async function loadExistingGrant(ctx) {
  const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
  if (grantId) return ctx.oidc.provider.Grant.find(grantId);
  const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
  grant.addOIDCScope('openid email profile groups eduperson_entitlement');
  await grant.save();
  return grant;
}

async function logoutSource(ctx, form) {
  ctx.body = `<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Afmelden — test-identiteitsprovider</title></head>
<body>
<h1>Wilt u zich afmelden?</h1>
${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Ja, afmelden</button>
<button type="submit" form="op.logoutForm">Nee, aangemeld blijven</button>
</body></html>`;
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

const provider = new Provider(issuer, {
  clients: (config.clients || []).map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    ...client,
  })),
  findAccount,
  loadExistingGrant,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
    eduperson_entitlement: ['eduperson_entitlement'],
  },
  // Streamlit builds st.user from the ID token alone: put every granted claim in it.
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    // The default pages load a web font from the internet, which this closed network cannot reach.
    rpInitiatedLogout: { enabled: true, logoutSource },
  },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' }] },
});

function loginPage(uid, refused) {
  const message = refused ? '<p role="alert">Onbekende gebruiker. Probeer het opnieuw.</p>' : '';
  return `<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Inloggen — test-identiteitsprovider</title></head>
<body>
<h1>Inloggen bij de test-identiteitsprovider</h1>
${message}
<form method="post" action="/interaction/${uid}/login" autocomplete="off">
  <label>Gebruikersnaam of e-mailadres <input required type="text" name="login" autofocus></label>
  <label>Wachtwoord <input required type="password" name="password"></label>
  <button type="submit">Inloggen</button>
</form>
</body></html>`;
}

async function formFields(request) {
  let body = '';
  for await (const chunk of request) {
    body += chunk;
    if (body.length > 10000) break;
  }
  return new URLSearchParams(body);
}

// The interaction (the login prompt): GET shows the form, POST checks the login and finishes the interaction.
provider.use(async (ctx, next) => {
  const route = /^\/interaction\/([\w-]+)(\/login)?$/.exec(ctx.path);
  if (!route) return next();
  const [, uid, submitted] = route;
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.prompt.name !== 'login') {
    ctx.status = 400;
    ctx.body = `Onverwachte stap: ${details.prompt.name}`;
    return undefined;
  }
  if (ctx.method === 'GET' && !submitted) {
    ctx.type = 'html';
    ctx.body = loginPage(uid, false);
    return undefined;
  }
  if (ctx.method === 'POST' && submitted) {
    const user = userFor((await formFields(ctx.req)).get('login'));
    if (!user) {
      ctx.status = 401;
      ctx.type = 'html';
      ctx.body = loginPage(uid, true);
      return undefined;
    }
    ctx.respond = false; // interactionFinished writes the redirect itself
    await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
    return undefined;
  }
  return next();
});

provider.on('server_error', (_ctx, error) => console.error('server_error', error));

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider gereed op ${issuer}`);
});
