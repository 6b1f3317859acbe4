# Ce que l'API répond quand elle refuse une demande : chaque `userErrors[].message` et `message` d'erreur.
# Les codes ne changent jamais avec la langue ; seules ces phrases changent.

unauthenticated = Vous devez être connecté.
password-change-required = Vous devez d'abord choisir un nouveau mot de passe.
forbidden = Seul un gestionnaire de bureau peut faire ceci.
not-found = Introuvable.
rate-limited = Trop de tentatives. Réessayez plus tard.
internal = Erreur interne du serveur.

## Les règles du mot de passe.
password-too-short = Le mot de passe doit compter au moins { $count } caractères.
password-too-long = Le mot de passe doit compter au plus { $count } caractères.
password-needs-digits = Le mot de passe doit contenir au moins { $count } chiffres.
password-needs-mixed-case = Le mot de passe doit contenir des lettres majuscules et minuscules.
password-too-guessable = Le mot de passe est trop facile à deviner : évitez les mots courants, les noms, votre adresse courriel et les suites prévisibles.

## Refus de ce qu'un utilisateur a envoyé.
reset-link-invalid = Ce lien de réinitialisation est invalide ou expiré. Demandez-en un nouveau.
login-incorrect = L'adresse courriel ou le mot de passe est incorrect.
temporary-password-expired = Ce mot de passe temporaire est expiré. Utilisez « Mot de passe oublié » pour en choisir un nouveau.
current-password-incorrect = Le mot de passe actuel est incorrect.
password-unchanged = Le nouveau mot de passe doit être différent de l'actuel.
date-range-reversed = Le premier jour ne doit pas être après le dernier.
card-number-refused = Les numéros de carte ne nous sont jamais envoyés : entrez la carte dans le formulaire de paiement, qui donne un identifiant de mode de paiement.
payment-method-unknown = La passerelle de paiement ne connaît pas ce mode de paiement.
card-expired = Cette carte est expirée : choisissez un autre mode de paiement.
payment-in-progress = Un paiement est déjà en cours pour ce compte : attendez qu'il soit terminé.
idempotency-key-reused = Cette clé d'idempotence a servi à un autre paiement.
auto-pay-method = Le paiement automatique débite ce mode de paiement : choisissez-en d'abord un autre pour le paiement automatique, ou désactivez-le.
auto-pay-needs-method = Choisissez le mode de paiement que le paiement automatique débitera.
auto-pay-method-expired = Cette carte est expirée : choisissez un autre mode de paiement pour le paiement automatique.
email-invalid = Entrez une adresse courriel valide.
email-taken = Cette adresse courriel a déjà un accès au portail de facturation.
cannot-change-own-role = Vous ne pouvez pas changer votre propre rôle : demandez à un autre gestionnaire de bureau.
cannot-delete-self = Vous ne pouvez pas vous supprimer vous-même : demandez à un autre gestionnaire de bureau.
invitation-accepted = Cette personne s'est déjà connectée : elle peut utiliser « Mot de passe oublié » sur la page de connexion.
last-office-manager = Le compte doit garder un gestionnaire de bureau : nommez d'abord quelqu'un d'autre gestionnaire de bureau.
country-invalid = Le pays doit être un code ISO de deux lettres, comme CA.
date-range-future = Le dernier jour ne doit pas être après aujourd'hui ({ $today }).
date-range-too-old = L'historique des appels remonte à { $months } mois : le premier jour doit être le { $earliest } ou après.
idempotency-key-invalid = La clé d'idempotence doit compter de 1 à { $max } caractères.
amount-invalid = Entrez un montant supérieur à zéro, avec au plus { $decimals } décimales.
amount-exceeds-balance = Le montant dépasse ce qui est dû ({ $owed }).
name-invalid = Entrez un nom de 1 à { $max } caractères.
time-zone-invalid = { $zone } n'est pas un fuseau horaire IANA comme America/Toronto.
address-field-length = Le champ « { $field } » doit compter de { $least } à { $max } caractères.
address-field-too-long = Le champ « { $field } » doit compter au plus { $max } caractères.
address-line1 = première ligne d'adresse
address-line2 = deuxième ligne d'adresse
address-city = ville
address-province = province
address-postal-code = code postal
province-invalid = { $province } n'est pas un code de province ou de territoire canadien (ON, QC, BC…).
postal-code-invalid = { $postal-code } n'est pas un code postal canadien comme M5V 1J5.
contacts-too-many = Au plus { $max } contacts de facturation.
contact-name-invalid = Le nom d'un contact doit compter de 1 à { $max } caractères.
contact-email-invalid = { $email } n'est pas une adresse courriel valide.
contact-phone-invalid = { $phone } n'est pas un numéro de téléphone.

## Demandes mal formées.
first-negative = `first` ne doit pas être négatif
not-a-cursor = `after` n'est pas un curseur de cette liste
too-many-ids = nodes accepte au plus { $max } identifiants.
subscriptions-over-websocket = Les abonnements sont servis par WebSocket à /graphql (graphql-transport-ws).
too-many-subscriptions = Cette connexion a déjà autant d'abonnements que permis : terminez-en un d'abord.

## Demandes refusées avant que GraphQL ne s'exécute.
graphql-needs-json = Envoyez les requêtes GraphQL en application/json.
body-too-large = Le corps de la requête est trop volumineux.
json-too-deep = Le JSON du corps est imbriqué trop profondément (plus de { $max } niveaux).
body-not-graphql = Le corps n'est pas une requête GraphQL en JSON.
batch-size = Un lot contient de 1 à { $max } requêtes.

## Connexion en deux étapes.
two-factor-code-invalid = Ce code n'est pas le bon, ou a déjà servi. Entrez le code actuel de votre application d'authentification.
two-factor-challenge-invalid = Cette connexion a expiré ou est déjà terminée. Connectez-vous de nouveau.
two-factor-already-enabled = La connexion en deux étapes est déjà activée. Désactivez-la d'abord pour utiliser une autre application.
two-factor-not-begun = Recommencez : balayez un nouveau code QR avec votre application d'authentification, puis entrez son code.
two-factor-not-enabled = La connexion en deux étapes n'est pas activée.
two-factor-no-passkey = Vous n'avez aucune clé d'accès : utilisez un code de votre application d'authentification ou un code de récupération.
passkey-invalid = Cette clé d'accès n'a pas pu être vérifiée. Réessayez, ou connectez-vous d'une autre façon.
passkey-limit = Vous avez déjà { $max } clés d'accès : retirez-en une avant d'en ajouter une autre.
passkey-registration-expired = L'ajout de la clé d'accès a pris trop de temps, ou n'a pas été commencé : recommencez.
reauthentication-required = Pour votre sécurité, confirmez qu'il s'agit bien de vous : entrez un code de votre application d'authentification ou votre mot de passe. On ne vous le redemandera pas avant { $minutes } minutes.
reauthentication-needs-code = Entrez un code de votre application d'authentification : avec la connexion en deux étapes, votre mot de passe seul ne suffit pas.
two-factor-one-proof = Donnez exactement un de code, recoveryCode et passkey.
two-factor-enrollment-required = Votre compte exige la connexion en deux étapes : configurez d'abord votre application d'authentification.
