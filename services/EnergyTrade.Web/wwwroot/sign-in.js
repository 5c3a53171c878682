'use strict';
// The view in the address (#pair?…) never reaches the server and is lost on the way through the provider's
// sign-in form: keep it for the page to restore once the person is back, signed in.
if (location.hash) sessionStorage.setItem('energytrade.view', location.hash);
location.replace('/signin');
