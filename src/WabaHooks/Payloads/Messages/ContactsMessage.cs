namespace WabaHooks.Payloads;

/// <summary>A <c>contacts</c> message: contact cards the user shared.</summary>
public sealed class ContactsMessage : InboundMessage
{
    /// <summary>The shared cards.</summary>
    public IReadOnlyList<ContactCard>? Contacts { get; set; }
}

/// <summary>One shared contact card.</summary>
public sealed class ContactCard : PayloadObject
{
    /// <summary>Postal addresses.</summary>
    public IReadOnlyList<ContactAddress>? Addresses { get; set; }

    /// <summary>Birthday, <c>YYYY-MM-DD</c>.</summary>
    public string? Birthday { get; set; }

    /// <summary>Email addresses.</summary>
    public IReadOnlyList<ContactEmail>? Emails { get; set; }

    /// <summary>The name; <c>formatted_name</c> is always present.</summary>
    public ContactName? Name { get; set; }

    /// <summary>The organisation.</summary>
    public ContactOrg? Org { get; set; }

    /// <summary>Phone numbers.</summary>
    public IReadOnlyList<ContactPhone>? Phones { get; set; }

    /// <summary>Web addresses.</summary>
    public IReadOnlyList<ContactUrl>? Urls { get; set; }
}

/// <summary>A contact card address.</summary>
public sealed class ContactAddress : PayloadObject
{
    /// <summary>Street.</summary>
    public string? Street { get; set; }

    /// <summary>City.</summary>
    public string? City { get; set; }

    /// <summary>State.</summary>
    public string? State { get; set; }

    /// <summary>Postal code.</summary>
    public string? Zip { get; set; }

    /// <summary>Country name.</summary>
    public string? Country { get; set; }

    /// <summary>ISO country code.</summary>
    public string? CountryCode { get; set; }

    /// <summary><c>HOME</c>, <c>WORK</c>, …</summary>
    public string? Type { get; set; }
}

/// <summary>A contact card email.</summary>
public sealed class ContactEmail : PayloadObject
{
    /// <summary>The address.</summary>
    public string? Email { get; set; }

    /// <summary><c>HOME</c>, <c>WORK</c>, …</summary>
    public string? Type { get; set; }
}

/// <summary>A contact card name.</summary>
public sealed class ContactName : PayloadObject
{
    /// <summary>The full name as displayed.</summary>
    public string? FormattedName { get; set; }

    /// <summary>First name.</summary>
    public string? FirstName { get; set; }

    /// <summary>Last name.</summary>
    public string? LastName { get; set; }

    /// <summary>Middle name.</summary>
    public string? MiddleName { get; set; }

    /// <summary>Suffix.</summary>
    public string? Suffix { get; set; }

    /// <summary>Prefix.</summary>
    public string? Prefix { get; set; }
}

/// <summary>A contact card organisation.</summary>
public sealed class ContactOrg : PayloadObject
{
    /// <summary>Company.</summary>
    public string? Company { get; set; }

    /// <summary>Department.</summary>
    public string? Department { get; set; }

    /// <summary>Job title.</summary>
    public string? Title { get; set; }
}

/// <summary>A contact card phone.</summary>
public sealed class ContactPhone : PayloadObject
{
    /// <summary>The number as written.</summary>
    public string? Phone { get; set; }

    /// <summary>The WhatsApp ID, when the number is on WhatsApp.</summary>
    public string? WaId { get; set; }

    /// <summary><c>MOBILE</c>, <c>HOME</c>, …</summary>
    public string? Type { get; set; }
}

/// <summary>A contact card URL.</summary>
public sealed class ContactUrl : PayloadObject
{
    /// <summary>The URL.</summary>
    public string? Url { get; set; }

    /// <summary><c>HOME</c>, <c>WORK</c>, …</summary>
    public string? Type { get; set; }
}
