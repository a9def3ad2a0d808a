// Submits the SAML HTTP-POST form as soon as the page loads (the button stays for no-script).
const form = document.querySelector('form[data-autosubmit]');
if (form) form.submit();
