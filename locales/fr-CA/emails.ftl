# Courriels. Chacun est la partie texte, la référence; la partie HTML dit la même chose, avec ses liens.

greeting = Bonjour { $name },
portal-link = Le portail de facturation : { $url }

invitation = Vous avez été invité au portail de facturation de { $account }.

    Nom d'utilisateur : { $email }
    Mot de passe temporaire : { $password }

    Connectez-vous à { $url }
    Vous devrez choisir un nouveau mot de passe à votre première connexion.
    Le mot de passe temporaire est valable 7 jours; ensuite, utilisez « Mot de passe oublié » sur la page de connexion.
    .subject = Votre accès au portail de facturation de { $account }

password-reset = Quelqu'un a demandé de réinitialiser le mot de passe de votre accès au portail de facturation ({ $email }).
    Choisissez un nouveau mot de passe ici : { $url }

    Le lien ne fonctionne qu'une fois, pendant 1 heure. Si vous n'avez rien demandé, ignorez ce courriel : votre mot de passe reste le même.
    .subject = Réinitialisez le mot de passe de votre portail de facturation

receipt = Nous avons reçu votre paiement de { $amount } par { $method } le { $paid-at }.
    Référence : { $reference }

    Vos paiements : { $url }
    .subject = Paiement reçu : { $amount }
receipt-unknown-method = votre mode de paiement

# Avis de facturation : $when est le moment, à l'heure du lecteur.
invoice-posted = La facture { $number } de { $total } est prête. Elle est payable au plus tard le { $due }.
    .subject = Nouvelle facture { $number }
# La ligne du relevé est écrite dans la langue du compte, qui peut ne pas être celle du lecteur : elle n'est pas reprise.
payment-posted = { $auto-pay ->
        [yes] Le paiement automatique de { $amount } a été reçu le { $when }.
       *[no] Un paiement de { $amount } a été reçu le { $when }.
    }
    .subject = { $auto-pay ->
        [yes] Paiement automatique reçu : { $amount }
       *[no] Paiement reçu : { $amount }
    }
credit-posted = { $description } : { $amount }, appliqué le { $when }.
    .subject = Un crédit de { $amount } a été appliqué
refund-posted = { $description } : { $amount }, émis le { $when }.
    .subject = Un remboursement de { $amount } est en route
payment-failed = Un paiement de { $amount } fait le { $when } n'a pas été accepté : { $reason }
    .subject = Le paiement de { $amount } a échoué
payment-disputed = Votre banque a contesté un paiement de { $amount } (motif : { $reason }). L'équipe de facturation du fournisseur communiquera avec vous; vous n'avez rien à faire pour l'instant.
    .subject = Un paiement a été contesté

# Avis du paiement automatique aux gestionnaires de bureau (et aux contacts de facturation).
auto-pay-card-expired = La carte { $card } est expirée depuis la fin de { $expiry }. Le paiement automatique ne la débitera pas : ajoutez une nouvelle carte et choisissez-la pour le paiement automatique dans le portail de facturation ({ $url }).
    .subject = La carte de votre paiement automatique est expirée
auto-pay-card-expires-soon = La carte { $card } expire à la fin de { $expiry }. Pour que le paiement automatique continue de payer vos factures, ajoutez la nouvelle carte dans le portail de facturation ({ $url }) et choisissez-la pour le paiement automatique.
    .subject = La carte de votre paiement automatique expire bientôt
auto-pay-off = Le paiement automatique a été désactivé : la passerelle de paiement a retiré { $card }. Ajoutez un mode de paiement et réactivez le paiement automatique pour que votre prochaine facture soit payée à temps.
    .subject = Le paiement automatique est désactivé
auto-pay-needs-confirmation = Le paiement automatique n'a pas pu débiter { $amount } : votre banque demande que vous confirmiez vous-même ce paiement. Le paiement automatique ne réessaiera pas pour cette facture. Veuillez la payer dans le portail de facturation : { $url }
    .subject = Le paiement automatique attend votre confirmation
auto-pay-declined-final = Le paiement automatique n'a pas pu débiter { $amount } : { $reason } Il ne réessaiera pas cette carte. Veuillez payer dans le portail de facturation, ou choisir un autre mode de paiement pour le paiement automatique : { $url }
    .subject = Le paiement automatique n'a pas pu payer votre facture
auto-pay-declined-retry = Le paiement automatique n'a pas pu débiter { $amount } : { $reason } Il réessaiera dans quelques jours. Pour payer maintenant, ou choisir un autre mode de paiement, utilisez le portail de facturation : { $url }
    .subject = Le paiement automatique n'a pas pu payer votre facture

# Avis de sécurité : chacun dit quand (dans le fuseau horaire du lecteur), et quoi faire si ce n'était pas lui.
security-password-changed = Le mot de passe de votre accès au portail de facturation ({ $email }) a été modifié le { $when }. Toutes vos autres sessions ont été fermées.

    Si ce n'était pas vous, choisissez sans attendre un nouveau mot de passe avec « Mot de passe oublié? » à la page de connexion, et avisez votre gestionnaire de bureau. Vos paramètres : { $url }
    .subject = Le mot de passe de votre portail de facturation a été modifié
security-two-factor-on = La connexion en deux étapes a été activée pour votre accès au portail de facturation ({ $email }) le { $when }. Vous connecter demande maintenant un code de votre application d'authentification après votre mot de passe.

    Si ce n'était pas vous, avisez sans attendre votre gestionnaire de bureau. Vos paramètres : { $url }
    .subject = La connexion en deux étapes est activée
security-two-factor-off = La connexion en deux étapes a été désactivée pour votre accès au portail de facturation ({ $email }) le { $when }. La connexion ne demande plus de code de votre application d'authentification.

    Si ce n'était pas vous, choisissez sans attendre un nouveau mot de passe avec « Mot de passe oublié? » à la page de connexion, réactivez la connexion en deux étapes et avisez votre gestionnaire de bureau. Vos paramètres : { $url }
    .subject = La connexion en deux étapes est désactivée
security-passkey-added = Une clé d'accès nommée « { $name } » a été ajoutée à votre accès au portail de facturation ({ $email }) le { $when }. Elle peut maintenant vous connecter.

    Si ce n'était pas vous, retirez-la sans attendre dans vos paramètres et avisez votre gestionnaire de bureau : { $url }
    .subject = Une clé d'accès a été ajoutée à votre accès
security-passkey-removed = La clé d'accès nommée « { $name } » a été retirée de votre accès au portail de facturation ({ $email }) le { $when }. Elle ne vous connecte plus.

    Si ce n'était pas vous, choisissez sans attendre un nouveau mot de passe avec « Mot de passe oublié? » à la page de connexion, et avisez votre gestionnaire de bureau. Vos paramètres : { $url }
    .subject = Une clé d'accès a été retirée de votre accès
security-second-factor-reset = { $by }, gestionnaire de bureau, a réinitialisé la connexion en deux étapes de votre accès au portail de facturation ({ $email }) le { $when } : votre application d'authentification, vos codes de récupération et vos clés d'accès ne fonctionnent plus, et toutes vos sessions ont été fermées. Connectez-vous avec votre mot de passe, puis configurez de nouveau la connexion en deux étapes dans vos paramètres : { $url }

    Si vous ne l'avez pas demandé, avisez sans attendre votre gestionnaire de bureau.
    .subject = La connexion en deux étapes a été réinitialisée
recovery-code-used = Un code de récupération a servi à vous connecter au portail de facturation ({ $email }) le { $when }. { $left ->
        [0] Il ne vous reste aucun code de récupération.
        [one] Il vous reste 1 code de récupération.
       *[other] Il vous reste { $left } codes de récupération.
    }

    Si ce n'était pas vous, réinitialisez votre mot de passe, puis désactivez et réactivez la connexion en deux étapes pour obtenir de nouveaux codes. Vos paramètres : { $url }
    .subject = Un code de récupération a servi à vous connecter
