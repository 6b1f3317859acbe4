# What the API answers when it refuses a request: each `userErrors[].message` and error `message`.
# Codes never change with the language; only these sentences do.

unauthenticated = You must be logged in.
password-change-required = You must choose a new password first.
forbidden = Only an office manager may do this.
not-found = Not found.
rate-limited = Too many attempts. Try again later.
internal = Internal server error.

## The password rules, as `passwordRules` lists them and `changePassword` refuses.
password-too-short = The password must have at least { $count } characters.
password-too-long = The password must have at most { $count } characters.
password-needs-digits = The password must contain at least { $count } digits.
password-needs-mixed-case = The password must contain both upper-case and lower-case letters.
password-too-guessable = The password is too easy to guess: avoid common words, names, your email address and patterns.

## Refusals of what a user sent.
reset-link-invalid = This reset link is invalid or has expired. Ask for a new one.
login-incorrect = The email address or password is incorrect.
temporary-password-expired = This temporary password has expired. Use Forgot Password to choose a new one.
current-password-incorrect = The current password is incorrect.
password-unchanged = The new password must differ from the current one.
date-range-reversed = The first day must not be after the last.
card-number-refused = Card numbers are never sent to us: enter the card in the payment form, which gives a payment method id.
payment-method-unknown = The payment gateway does not know this payment method.
card-expired = This card has expired: choose another payment method.
payment-in-progress = A payment is already in progress for this account: wait until it completes.
idempotency-key-reused = This idempotency key was used for a different payment.
auto-pay-method = Auto Pay charges this method: choose another one for Auto Pay, or turn Auto Pay off, first.
auto-pay-needs-method = Choose the payment method Auto Pay charges.
auto-pay-method-expired = This card has expired: choose another payment method for Auto Pay.
email-invalid = Enter a valid email address.
email-taken = This email address already has a Billing Portal login.
cannot-change-own-role = You cannot change your own role: ask another office manager.
cannot-delete-self = You cannot delete yourself: ask another office manager.
invitation-accepted = This person has already logged in: they can use Forgot Password on the login page.
last-office-manager = The account must keep an office manager: make someone else office manager first.
country-invalid = The country must be a two-letter ISO code such as CA.
date-range-future = The last day must not be after today ({ $today }).
date-range-too-old = Call History goes back { $months } months: the first day must be { $earliest } or later.
idempotency-key-invalid = The idempotency key must be 1 to { $max } characters.
amount-invalid = Enter an amount above zero, with at most { $decimals } decimals.
amount-exceeds-balance = The amount is more than what is owed ({ $owed }).
name-invalid = Enter a name of 1 to { $max } characters.
time-zone-invalid = { $zone } is not an IANA time zone such as America/Toronto.
address-field-length = The { $field } must be { $least } to { $max } characters.
address-field-too-long = The { $field } must be at most { $max } characters.
address-line1 = first address line
address-line2 = second address line
address-city = city
address-province = province
address-postal-code = postal code
province-invalid = { $province } is not a Canadian province or territory code (ON, QC, BC…).
postal-code-invalid = { $postal-code } is not a Canadian postal code such as M5V 1J5.
contacts-too-many = At most { $max } billing contacts.
contact-name-invalid = A contact's name must be 1 to { $max } characters.
contact-email-invalid = { $email } is not a valid email address.
contact-phone-invalid = { $phone } is not a phone number.

## Requests a client made wrong.
first-negative = `first` must not be negative
not-a-cursor = `after` is not a cursor of this list
too-many-ids = nodes takes at most { $max } ids.
subscriptions-over-websocket = Subscriptions are served over WebSocket at /graphql (graphql-transport-ws).
too-many-subscriptions = This connection holds as many subscriptions as it may: end one first.

## Requests refused before GraphQL runs.
graphql-needs-json = Send GraphQL requests as application/json.
body-too-large = The request body is too large.
json-too-deep = The body's JSON is nested too deep (more than { $max } levels).
body-not-graphql = The body is not a GraphQL request in JSON.
batch-size = A batch holds 1 to { $max } requests.

## Two-step sign-in.
two-factor-code-invalid = That code is not right, or was already used. Enter the current code from your authenticator app.
two-factor-challenge-invalid = This sign-in has expired or was already completed. Log in again.
two-factor-already-enabled = Two-step sign-in is already on. Turn it off first to use another authenticator.
two-factor-not-begun = Start again: scan a new QR code with your authenticator app, then enter its code.
two-factor-not-enabled = Two-step sign-in is not on.
two-factor-no-passkey = You have no passkey: use a code from your authenticator app or a recovery code.
passkey-invalid = That passkey could not be verified. Try again, or use another way to sign in.
passkey-limit = You have { $max } passkeys already: remove one before adding another.
passkey-registration-expired = Adding the passkey took too long, or was not started: start again.
reauthentication-required = For your security, confirm it is you: enter a code from your authenticator app or your password. You will not be asked again for { $minutes } minutes.
reauthentication-needs-code = Enter a code from your authenticator app: with two-step sign-in on, your password alone is not enough.
two-factor-one-proof = Give exactly one of code, recoveryCode and passkey.
two-factor-enrollment-required = Your account requires two-step sign-in: set up your authenticator app first.
