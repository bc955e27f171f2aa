// Passkeys (WebAuthn): the "Add a passkey" button of the account page and "Sign in with a passkey" of the sign-in page.
// Each button sits in a form (data-passkey-form) carrying the antiforgery token and a hidden "credential" field: this
// script asks the server for the options, lets the browser's authenticator create or use the passkey, puts the
// credential (JSON) in the field and posts the form. Listening on the document works whether Blazor rendered the
// page statically or interactively. No inline script: the CSP allows only our own files.
(() => {
  const supported = () => !!(window.PublicKeyCredential && PublicKeyCredential.parseCreationOptionsFromJSON
    && PublicKeyCredential.parseRequestOptionsFromJSON);

  async function optionsFrom(url, form) {
    const token = form.querySelector('input[name="__RequestVerificationToken"]');
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-CSRF-TOKEN': token ? token.value : '' },
    });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response.json();
  }

  function say(form, key) {
    const status = form.querySelector('[data-passkey-status]');
    if (!status) return;
    status.textContent = form.dataset[key] || '';
    status.hidden = !status.textContent;
  }

  document.addEventListener('click', async (event) => {
    const button = event.target instanceof Element ? event.target.closest('[data-passkey-action]') : null;
    if (!button) return;
    event.preventDefault();
    const form = button.closest('form[data-passkey-form]');
    if (!form) return;
    if (!supported()) { say(form, 'unsupported'); return; }
    button.disabled = true;
    say(form, 'working');
    try {
      let credential;
      if (button.dataset.passkeyAction === 'register') {
        const options = await optionsFrom('/account/passkeys/creation-options', form);
        credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) });
      } else {
        const options = await optionsFrom('/account/passkeys/request-options', form);
        credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
      }
      if (!credential) throw new Error('no credential');
      form.querySelector('input[name="credential"]').value = JSON.stringify(credential);
      form.submit();
    } catch (error) {
      // Cancelled by the user, no authenticator, or refused: say so and let them try again.
      console.warn('passkey:', error && error.name);
      say(form, 'failed');
      button.disabled = false;
    }
  });
})();
