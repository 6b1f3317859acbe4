# Emails. Each is the plain-text part, the reference; the HTML part says the same, with its links.

greeting = Hello { $name },
portal-link = The Billing Portal: { $url }

invitation = You have been invited to the Billing Portal of { $account }.

    Username: { $email }
    Temporary password: { $password }

    Log in at { $url }
    You will be asked to choose a new password when you first log in.
    The temporary password works for 7 days; after that, use Forgot Password on the login page.
    .subject = Your { $account } Billing Portal login

password-reset = Someone asked to reset the password of your Billing Portal login ({ $email }).
    Choose a new password here: { $url }

    The link works once, for 1 hour. If you did not ask for it, ignore this email: your password stays as it is.
    .subject = Reset your Billing Portal password

receipt = We received your payment of { $amount } by { $method } on { $paid-at }.
    Reference: { $reference }

    Your payments: { $url }
    .subject = Payment received: { $amount }
receipt-unknown-method = your payment method

# Billing notifications: $when is the moment, as the reader reads time.
invoice-posted = Invoice { $number } for { $total } is ready. It is due on { $due }.
    .subject = New invoice { $number }
payment-posted = { $description }: { $amount }, received on { $when }.
    .subject = { $auto-pay ->
        [yes] Auto Pay payment received: { $amount }
       *[no] Payment received: { $amount }
    }
credit-posted = { $description }: { $amount }, applied on { $when }.
    .subject = A credit of { $amount } was applied
refund-posted = { $description }: { $amount }, issued on { $when }.
    .subject = A refund of { $amount } is on its way
payment-failed = A payment of { $amount } made on { $when } did not go through: { $reason }
    .subject = A payment of { $amount } failed
payment-disputed = Your bank has disputed a payment of { $amount } (reason: { $reason }). The carrier's billing team will be in touch; nothing is needed from you yet.
    .subject = A payment was disputed

# Auto Pay's notices to office managers (and billing contacts).
auto-pay-card-expired = { $card } expired at the end of { $expiry }. Auto Pay will not charge it: add a new card and choose it for Auto Pay in the Billing Portal ({ $url }).
    .subject = Your Auto Pay card has expired
auto-pay-card-expires-soon = { $card } expires at the end of { $expiry }. To keep Auto Pay paying your bills, add the new card in the Billing Portal ({ $url }) and choose it for Auto Pay.
    .subject = Your Auto Pay card expires soon
auto-pay-off = Auto Pay has been turned off: { $card } was removed by the payment gateway. Add a payment method and turn Auto Pay on again so that your next invoice is paid on time.
    .subject = Auto Pay is off
auto-pay-needs-confirmation = Auto Pay could not charge { $amount }: your bank asks you to confirm this payment yourself. Auto Pay will not try again for this bill. Please pay it in the Billing Portal: { $url }
    .subject = Auto Pay needs you to confirm a payment
auto-pay-declined-final = Auto Pay could not charge { $amount }: { $reason } It will not try this card again. Please pay in the Billing Portal, or choose another payment method for Auto Pay: { $url }
    .subject = Auto Pay could not pay your bill
auto-pay-declined-retry = Auto Pay could not charge { $amount }: { $reason } It will try again in a few days. To pay now, or to choose another payment method, use the Billing Portal: { $url }
    .subject = Auto Pay could not pay your bill

# Security notices: each says when (in the reader's time zone), and what to do if it was not them.
security-password-changed = The password of your Billing Portal login ({ $email }) was changed on { $when }. Every other session was signed out.

    If it was not you, choose a new password at once with "Forgot password?" on the login page, and tell your office manager. Your settings: { $url }
    .subject = Your Billing Portal password was changed
security-two-factor-on = Two-step sign-in was turned on for your Billing Portal login ({ $email }) on { $when }. Logging in now takes a code from your authenticator app after your password.

    If it was not you, tell your office manager at once. Your settings: { $url }
    .subject = Two-step sign-in is on
security-two-factor-off = Two-step sign-in was turned off for your Billing Portal login ({ $email }) on { $when }. Logging in no longer asks for a code from your authenticator app.

    If it was not you, choose a new password at once with "Forgot password?" on the login page, turn two-step sign-in on again, and tell your office manager. Your settings: { $url }
    .subject = Two-step sign-in is off
security-passkey-added = A passkey named "{ $name }" was added to your Billing Portal login ({ $email }) on { $when }. It can now sign you in.

    If it was not you, remove it in your settings at once and tell your office manager: { $url }
    .subject = A passkey was added to your login
security-passkey-removed = The passkey named "{ $name }" was removed from your Billing Portal login ({ $email }) on { $when }. It no longer signs you in.

    If it was not you, choose a new password at once with "Forgot password?" on the login page, and tell your office manager. Your settings: { $url }
    .subject = A passkey was removed from your login
security-second-factor-reset = { $by }, an office manager, reset two-step sign-in for your Billing Portal login ({ $email }) on { $when }: your authenticator app, recovery codes and passkeys no longer work, and you were logged out everywhere. Log in with your password, then set up two-step sign-in again in your settings: { $url }

    If you did not ask for this, tell your office manager at once.
    .subject = Two-step sign-in was reset
recovery-code-used = A recovery code was used to log in to your Billing Portal login ({ $email }) on { $when }. { $left ->
        [0] You have no recovery codes left.
        [one] You have 1 recovery code left.
       *[other] You have { $left } recovery codes left.
    }

    If it was not you, reset your password and turn two-step sign-in off and on again to get new codes. Your settings: { $url }
    .subject = A recovery code was used to log in
