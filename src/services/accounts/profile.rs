//! The billing profile: address, time zone and billing contacts, kept by office managers.

use entity::{account, billing_contact};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::{
    domain::{address::Address, email_address::EmailAddress, tax, time},
    i18n::Text,
    services::{
        Caller, Deps, Field, ServiceError, ServiceResult, UserError, UserErrorCode,
        activity::{self, Action},
    },
    updates::Update,
};

const MAX_CONTACTS: usize = 10;
const MAX_TEXT: usize = 200;
/// The widths of the address columns.
const MAX_PROVINCE: usize = 64;
const MAX_POSTAL_CODE: usize = 32;

pub struct Contact {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
}

/// What to change; what is left out stays as it is. `contacts` replaces the whole list.
pub struct ProfileChange {
    pub address: Option<Address>,
    pub time_zone: Option<String>,
    pub contacts: Option<Vec<Contact>>,
}

/// Validates everything first: a refused change changes nothing.
pub async fn update(deps: &Deps, caller: &Caller, change: ProfileChange) -> ServiceResult<account::Model> {
    caller.require_office_manager()?;
    let mut errors = Vec::new();
    let address = change.address.map(|address| normalise_address(address, &mut errors));
    if let Some(zone) = &change.time_zone
        && time::parse_zone(zone).is_none()
    {
        errors.push(UserError::new(
            Field::TimeZone,
            UserErrorCode::InvalidTimeZone,
            Text::new("time-zone-invalid").arg("zone", format!("{zone:?}")),
        ));
    }
    let contacts = change.contacts.map(|contacts| normalise_contacts(contacts, &mut errors));
    if !errors.is_empty() {
        return Err(ServiceError::Refused(errors));
    }

    let changed: Vec<&str> = [
        (address.is_some(), "billing address"),
        (change.time_zone.is_some(), "time zone"),
        (contacts.is_some(), "billing contacts"),
    ]
    .into_iter()
    .filter_map(|(changed, what)| changed.then_some(what))
    .collect();
    let txn = deps.begin().await?;
    let current =
        account::Entity::find_by_id(caller.account_id).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    let mut update: account::ActiveModel = current.into();
    if let Some(address) = address {
        update.address_line1 = Set(address.line1);
        update.address_line2 = Set(address.line2);
        update.city = Set(address.city);
        update.province = Set(address.province);
        update.postal_code = Set(address.postal_code);
        update.country = Set(address.country);
    }
    if let Some(zone) = change.time_zone {
        update.time_zone = Set(zone);
    }
    update.updated_at = Set(deps.now());
    let account = update.update(&txn).await?;
    if let Some(contacts) = contacts {
        billing_contact::Entity::delete_many()
            .filter(billing_contact::Column::AccountId.eq(account.id))
            .exec(&txn)
            .await?;
        for (position, contact) in contacts.into_iter().enumerate() {
            billing_contact::ActiveModel {
                account_id: Set(account.id),
                name: Set(contact.name),
                email: Set(contact.email),
                phone: Set(contact.phone),
                position: Set(position as i32),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    let summary = format!("Updated the billing profile: {}", changed.join(", "));
    activity::record(&txn, account.id, Some(caller.user_id), Action::ProfileUpdated, summary, deps.now())
        .await?;
    deps.updates.publish(&txn, Update::Account { account_id: account.id }).await?;
    txn.commit().await?;
    tracing::info!(account_id = account.id, user_id = caller.user_id, "billing profile updated");
    Ok(account)
}

pub(crate) fn normalise_address(address: Address, errors: &mut Vec<UserError>) -> Address {
    let text =
        |value: &str, field: Field, what: &'static str, required: bool, errors: &mut Vec<UserError>| {
            let value = value.trim().to_string();
            if (required && value.is_empty())
                || value.chars().count() > MAX_TEXT
                || value.chars().any(char::is_control)
            {
                let least = if required { 1 } else { 0 };
                errors.push(UserError::new(
                    field,
                    UserErrorCode::InvalidAddress,
                    Text::new("address-field-length")
                        .arg("field", Text::new(what))
                        .arg("least", least)
                        .arg("max", MAX_TEXT),
                ));
            }
            value
        };
    let line1 = text(&address.line1, Field::AddressLine1, "address-line1", true, errors);
    let line2 = address
        .line2
        .map(|l| text(&l, Field::AddressLine2, "address-line2", false, errors))
        .filter(|l| !l.is_empty());
    let city = text(&address.city, Field::City, "address-city", true, errors);
    let country = address.country.trim().to_uppercase();
    let mut province = address.province.trim().to_string();
    let mut postal_code = address.postal_code.trim().to_string();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        errors.push(UserError::new(
            Field::Country,
            UserErrorCode::InvalidAddress,
            Text::new("country-invalid"),
        ));
    } else if country == "CA" {
        province = province.to_uppercase();
        if !tax::REGIONS.contains(&province.as_str()) {
            errors.push(UserError::new(
                Field::Province,
                UserErrorCode::InvalidAddress,
                Text::new("province-invalid").arg("province", format!("{province:?}")),
            ));
        }
        match canadian_postal_code(&postal_code) {
            Some(normalised) => postal_code = normalised,
            None => errors.push(UserError::new(
                Field::PostalCode,
                UserErrorCode::InvalidAddress,
                Text::new("postal-code-invalid").arg("postal-code", format!("{postal_code:?}")),
            )),
        }
    } else {
        province = short_text(&province, Field::Province, "address-province", MAX_PROVINCE, errors);
        postal_code =
            short_text(&postal_code, Field::PostalCode, "address-postal-code", MAX_POSTAL_CODE, errors);
    }
    Address { line1, line2, city, province, postal_code, country }
}

/// A free-form province or postal code of another country, within its column's width.
fn short_text(
    value: &str,
    field: Field,
    what: &'static str,
    max: usize,
    errors: &mut Vec<UserError>,
) -> String {
    let value = value.trim().to_string();
    if value.chars().count() > max || value.chars().any(char::is_control) {
        errors.push(UserError::new(
            field,
            UserErrorCode::InvalidAddress,
            Text::new("address-field-too-long").arg("field", Text::new(what)).arg("max", max),
        ));
    }
    value
}

/// `A1A 1A1`, with Canada Post's letters: no D, F, I, O, Q or U anywhere, no W or Z first.
fn canadian_postal_code(input: &str) -> Option<String> {
    let compact: Vec<char> =
        input.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
    let letter = |c: char| c.is_ascii_uppercase() && !"DFIOQU".contains(c);
    let valid = compact.len() == 6
        && letter(compact[0])
        && !"WZ".contains(compact[0])
        && compact[1].is_ascii_digit()
        && letter(compact[2])
        && compact[3].is_ascii_digit()
        && letter(compact[4])
        && compact[5].is_ascii_digit();
    valid.then(|| {
        format!("{}{}{} {}{}{}", compact[0], compact[1], compact[2], compact[3], compact[4], compact[5])
    })
}

fn normalise_contacts(contacts: Vec<Contact>, errors: &mut Vec<UserError>) -> Vec<Contact> {
    if contacts.len() > MAX_CONTACTS {
        errors.push(UserError::new(
            Field::Contacts,
            UserErrorCode::InvalidContact,
            Text::new("contacts-too-many").arg("max", MAX_CONTACTS),
        ));
    }
    contacts
        .into_iter()
        .map(|contact| {
            let name = contact.name.trim().to_string();
            if name.is_empty() || name.chars().count() > MAX_TEXT || name.chars().any(char::is_control) {
                errors.push(UserError::new(
                    Field::ContactName,
                    UserErrorCode::InvalidContact,
                    Text::new("contact-name-invalid").arg("max", MAX_TEXT),
                ));
            }
            let email = match EmailAddress::parse(&contact.email) {
                Some(email) => email.as_str().to_string(),
                None => {
                    errors.push(UserError::new(
                        Field::ContactEmail,
                        UserErrorCode::InvalidEmail,
                        Text::new("contact-email-invalid").arg("email", format!("{:?}", contact.email)),
                    ));
                    contact.email
                }
            };
            let phone = contact.phone.map(|p| p.trim().to_string()).filter(|p| !p.is_empty());
            if let Some(phone) = &phone {
                let digits = phone.chars().filter(char::is_ascii_digit).count();
                let allowed = phone.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
                if !allowed || !(7..=15).contains(&digits) {
                    errors.push(UserError::new(
                        Field::ContactPhone,
                        UserErrorCode::InvalidContact,
                        Text::new("contact-phone-invalid").arg("phone", format!("{phone:?}")),
                    ));
                }
            }
            Contact { name, email, phone }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::canadian_postal_code;

    #[test]
    fn postal_codes_are_checked_and_normalised() {
        assert_eq!(canadian_postal_code("m5v1j5").as_deref(), Some("M5V 1J5"));
        assert_eq!(canadian_postal_code("B3J 1R7").as_deref(), Some("B3J 1R7"));
        for bad in ["M5V 1J", "12345", "D5V 1J5", "W5V 1J5", "M5V 1JO", ""] {
            assert_eq!(canadian_postal_code(bad), None, "{bad}");
        }
    }
}
