namespace WabaHooks.Payloads;

/// <summary>A <c>contacts</c> message: contact cards the user shared.</summary>
public sealed class ContactsMessage : InboundMessage
{
    /// <summary>The shared cards.</summary>
    public IReadOnlyList<ContactCard>? Contacts { get; init; }
}

/// <summary>One shared contact card.</summary>
public sealed class ContactCard : PayloadObject
{
    /// <summary>Postal addresses.</summary>
    public IReadOnlyList<ContactAddress>? Addresses { get; init; }

    /// <summary>Birthday, <c>YYYY-MM-DD</c>.</summary>
    public string? Birthday { get; init; }

    /// <summary>Email addresses.</summary>
    public IReadOnlyList<ContactEmail>? Emails { get; init; }

    /// <summary>The name; <c>formatted_name</c> is always present.</summary>
    public ContactName? Name { get; init; }

    /// <summary>The organisation.</summary>
    public ContactOrg? Org { get; init; }

    /// <summary>Phone numbers.</summary>
    public IReadOnlyList<ContactPhone>? Phones { get; init; }

    /// <summary>Web addresses.</summary>
    public IReadOnlyList<ContactUrl>? Urls { get; init; }
}

/// <summary>A contact card address.</summary>
public sealed class ContactAddress : PayloadObject
{
    /// <summary>Street.</summary>
    public string? Street { get; init; }

    /// <summary>City.</summary>
    public string? City { get; init; }

    /// <summary>State.</summary>
    public string? State { get; init; }

    /// <summary>Postal code.</summary>
    public string? Zip { get; init; }

    /// <summary>Country name.</summary>
    public string? Country { get; init; }

    /// <summary>ISO country code.</summary>
    public string? CountryCode { get; init; }

    /// <summary><c>HOME</c>, <c>WORK</c>, …</summary>
    public string? Type { get; init; }
}

/// <summary>A contact card email.</summary>
public sealed class ContactEmail : PayloadObject
{
    /// <summary>The address.</summary>
    public string? Email { get; init; }

    /// <summary><c>HOME</c>, <c>WORK</c>, …</summary>
    public string? Type { get; init; }
}

/// <summary>A contact card name.</summary>
public sealed class ContactName : PayloadObject
{
    /// <summary>The full name as displayed.</summary>
    public string? FormattedName { get; init; }

    /// <summary>First name.</summary>
    public string? FirstName { get; init; }

    /// <summary>Last name.</summary>
    public string? LastName { get; init; }

    /// <summary>Middle name.</summary>
    public string? MiddleName { get; init; }

    /// <summary>Suffix.</summary>
    public string? Suffix { get; init; }

    /// <summary>Prefix.</summary>
    public string? Prefix { get; init; }
}

/// <summary>A contact card organisation.</summary>
public sealed class ContactOrg : PayloadObject
{
    /// <summary>Company.</summary>
    public string? Company { get; init; }

    /// <summary>Department.</summary>
    public string? Department { get; init; }

    /// <summary>Job title.</summary>
    public string? Title { get; init; }
}

/// <summary>A contact card phone.</summary>
public sealed class ContactPhone : PayloadObject
{
    /// <summary>The number as written.</summary>
    public string? Phone { get; init; }

    /// <summary>The WhatsApp ID, when the number is on WhatsApp.</summary>
    public string? WaId { get; init; }

    /// <summary><c>MOBILE</c>, <c>HOME</c>, …</summary>
    public string? Type { get; init; }
}

/// <summary>A contact card URL.</summary>
public sealed class ContactUrl : PayloadObject
{
    /// <summary>The URL.</summary>
    public string? Url { get; init; }

    /// <summary><c>HOME</c>, <c>WORK</c>, …</summary>
    public string? Type { get; init; }
}
