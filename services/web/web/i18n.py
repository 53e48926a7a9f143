"""French first, English available: templates and pages write French, and `translate` gives the English of it.
A sentence without an English entry stays French, which is better than a blank."""
LANGUAGES = ("fr", "en")
COOKIE = "colo_lang"

ENGLISH = {
    "Colo, gestion des séjours": "Colo, holiday stays management",
    "Aller au contenu": "Skip to content",
    "Espace personnel": "Back office",
    "Espace famille": "Family portal",
    "Clients": "Clients",
    "Nouvelle réservation": "New booking",
    "Stock de la saison": "Season stock",
    "Se déconnecter": "Log out",
    "Se connecter": "Log in",
    "Connexion du personnel": "Staff login",
    "Adresse e-mail": "E-mail address",
    "Mot de passe": "Password",
    "Code de l'application d'authentification": "Authenticator app code",
    "E-mail ou mot de passe incorrect.": "Wrong e-mail or password.",
    "Ce compte n'est pas un compte du personnel.": "This account is not a staff account.",
    "Ce compte n'est pas un compte famille.": "This account is not a family account.",
    "Saisissez le code de votre application d'authentification.": "Enter the code of your authenticator app.",
    "Votre session a expiré : rechargez la page et recommencez.":
        "Your session expired: reload the page and try again.",
    "Le service {service} ne répond pas ; réessayez dans un instant.":
        "The {service} service does not answer; try again in a moment.",
    "Service indisponible": "Service unavailable",
    "Rechercher un client": "Search for a client",
    "Nom, e-mail, téléphone, code client": "Name, e-mail, phone, client code",
    "Aucun client ne correspond.": "No client matches.",
    "Résultats suivants": "Next results",
    "Nouveau client": "New client",
    "Modifier": "Edit",
    "Enregistrer": "Save",
    "Identité": "Identity",
    "Participants": "Participants",
    "Commandes": "Orders",
    "Factures": "Invoices",
    "Civilité": "Title",
    "Nom": "Last name",
    "Prénom": "First name",
    "Raison sociale": "Company name",
    "Type de client": "Kind of client",
    "Particulier": "Private",
    "Professionnel": "Professional",
    "Prospect": "Prospect",
    "Mobile": "Mobile",
    "Téléphone fixe": "Landline",
    "Adresse": "Address",
    "Code postal": "Postal code",
    "Ville": "City",
    "En litige": "Disputed",
    "Bloqué": "Blocked",
    "Actif": "Active",
    "Inactif": "Inactive",
    "Code client": "Client code",
    "Date de naissance": "Date of birth",
    "Âge": "Age",
    "Aucun participant.": "No participant.",
    "Aucune commande.": "No order.",
    "Aucune facture.": "No invoice.",
    "Référence": "Reference",
    "Séjour": "Stay",
    "Dates": "Dates",
    "Statut": "Status",
    "Total": "Total",
    "Solde": "Balance",
    "Payé": "Paid",
    "Montant": "Amount",
    "Date": "Date",
    "Télécharger": "Download",
    "PDF en préparation": "PDF being prepared",
    "Commande": "Order",
    "Facturée": "Invoiced",
    "Soldée": "Settled",
    "Dossier complet": "File complete",
    "Carnet de voyage": "Travel pack",
    "oui": "yes",
    "non": "no",
    "Détail du prix": "Price breakdown",
    "Règlements": "Payments",
    "Enregistrer un règlement": "Record a payment",
    "Mode de règlement": "Payment method",
    "Aucun règlement.": "No payment.",
    "Workflow": "Workflow",
    "Option jusqu'au": "Option until",
    "Client": "Client",
    "Départ": "Departure",
    "places libres": "free places",
    "Choisissez un départ.": "Choose a departure.",
    "Choisissez au moins un participant.": "Choose at least one participant.",
    "Prix": "Price",
    "Réserver": "Book",
    "Plus de résultats": "More results",
    "Mon espace": "My account",
    "Créer mon compte": "Create my account",
    "Séjours proposés": "Stays on offer",
    "Aucun séjour proposé pour le moment.": "No stay on offer for now.",
    "Connectez-vous pour réserver.": "Log in to book.",
    "Vérifiez votre boîte e-mail : un lien vous a été envoyé pour confirmer votre adresse.":
        "Check your mailbox: a link was sent to confirm your address.",
    "Votre adresse e-mail est confirmée : vous pouvez vous connecter.":
        "Your e-mail address is confirmed: you may log in.",
    "Ce lien n'est plus valable.": "This link is no longer valid.",
    "Mon profil": "My profile",
    "Mes participants": "My participants",
    "Mes commandes": "My orders",
    "Ajouter un participant": "Add a participant",
    "Ajouter": "Add",
    "Commande introuvable.": "Order not found.",
    "Page introuvable": "Page not found",
    "Cette page n'existe pas ou ne vous est pas accessible.": "This page does not exist or is not yours to see.",
    "Vous n'avez pas le droit de faire cela.": "You are not allowed to do that.",
    "Libre": "Free",
    "Capacité": "Capacity",
    "Tenues": "Held",
    "En retard": "Overdue",
    "Confirmées": "Confirmed",
    "Inscription à la lettre d'information": "Subscribe to the newsletter",
    "Retour à la recherche": "Back to the search",
    "Accueil": "Home",
    "Langue": "Language",
    "Confirmer la réservation": "Confirm the booking",
    "Acompte": "Deposit",
    "à régler avant le": "to pay before",
    "Réservation enregistrée.": "Booking recorded.",
    "Règlement enregistré.": "Payment recorded.",
    "Client enregistré.": "Client saved.",
    "Participant ajouté.": "Participant added.",
    "Montant dû": "Amount due",
    "Mes factures": "My invoices",
    "Voir": "View",
    "Champ obligatoire.": "Required field.",
}


def translator(language: str):
    def translate(french: str, **values: object) -> str:
        text = ENGLISH.get(french, french) if language == "en" else french
        return text.format(**values) if values else text

    return translate


def language_of(cookie: str | None, accept_language: str | None) -> str:
    if cookie in LANGUAGES:
        return cookie
    return "en" if (accept_language or "").lower().startswith("en") else "fr"
ENGLISH.update({
    "Chèque": "Cheque", "Virement": "Bank transfer", "Carte bancaire": "Card", "Espèces": "Cash",
    "Chèques-vacances": "Holiday vouchers", "En attente du stock": "Awaiting stock", "Option": "Option",
    "Refusée": "Refused", "Option expirée": "Option expired", "Contrat validé": "Contract validated",
    "Archivée": "Archived", "Annulée": "Cancelled",
})
ENGLISH["Confirmer mon adresse e-mail"] = "Confirm my e-mail address"
ENGLISH["Code promo"] = "Promo code"
ENGLISH["Prix du séjour, avant réductions"] = "Price of the stay, before reductions"
ENGLISH.update({"Période": "Period", "Départs à partir du": "Departures from", "Départs jusqu'au": "Departures until",
                "Voir les départs": "Show departures"})
ENGLISH.update({
    "Paiement reçu : il apparaît ici dès que le prestataire l'a confirmé.":
        "Payment received: it shows here as soon as the provider has confirmed it.",
    "Paiement abandonné : rien n'a été débité.": "Payment abandoned: nothing was charged.",
    "Commande annulée.": "Order cancelled.",
    "Payer {amount} par carte": "Pay {amount} by card",
    "Payer l'acompte par carte": "Pay the deposit by card",
    "Payer le solde par carte": "Pay the balance by card",
})
ENGLISH.update({
    "Annuler la commande": "Cancel the order", "Annulation à l’initiative": "Cancellation asked by",
    "Du client": "The client", "De l'organisateur": "The organiser", "Jours avant le départ": "Days before departure",
    "Frais d'annulation": "Cancellation fees", "Déjà reçu": "Already received", "À rembourser": "To refund",
    "Reste dû": "Still due", "Motif": "Reason", "Confirmer l'annulation": "Confirm the cancellation",
    "Fiche sanitaire": "Health form", "Allergies": "Allergies", "Traitements": "Treatments", "Régime": "Diet",
    "Notes médicales": "Medical notes",
})
ENGLISH.update({"Âge de l'enfant": "Child's age", "Départ à partir du": "Departing from"})
ENGLISH.update({
    "Responsables légaux": "Legal guardians", "Contacts": "Contacts", "Consentements": "Consents",
    "Portefeuille": "Wallet", "Historique": "History", "Aucun responsable légal.": "No legal guardian.",
    "Fonction": "Role", "Téléphone": "Phone", "En copie des e-mails": "Copied on e-mails",
    "Aucun contact.": "No contact.",
    "Lettre d'information": "Newsletter", "Offres des partenaires": "Partners' offers", "Libellé": "Label",
    "Aucun historique.": "No history.", "E-mails": "E-mails", "Objet": "Subject", "Destinataires": "Recipients",
    "Aucun e-mail.": "No e-mail.",
})
ENGLISH.update({
    "Tableau de bord": "Dashboard", "Options qui expirent dans les 48 heures": "Options expiring within 48 hours",
    "Aucune option n'expire d'ici 48 heures.": "No option expires within 48 hours.",
    "Contrats validés non soldés": "Validated contracts not settled", "commandes": "orders", "reste dû": "still due",
    "Remplissage des départs": "Departures' fill rate",
})
ENGLISH.update({
    "Mot de passe oublié": "Forgotten password", "Recevoir un lien": "Send me a link",
    "Si un compte existe à cette adresse, un lien pour choisir un nouveau mot de passe vient de lui être envoyé.":
        "If an account exists at this address, a link to choose a new password has just been sent to it.",
    "Choisir un mot de passe": "Choose a password", "Nouveau mot de passe": "New password",
    "Votre mot de passe est enregistré : vous pouvez vous connecter.": "Your password is saved: you may log in.",
})
ENGLISH["Fiche sanitaire enregistrée."] = "Health form saved."
