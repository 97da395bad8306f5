using System.CommandLine;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Storage;

namespace WabaHooks.Cli.Commands;

/// <summary>
/// The event filters of <c>events list</c> and <c>events tail</c>, so both select events the same way — and the same
/// <see cref="EventQuery"/> as the admin API, applied by the store through <c>WabaHooksQueries</c>.
/// </summary>
internal sealed class EventFilterOptions
{
    private readonly Option<string?> _field = new("--field") { Description = "Only this field (messages, account_update, …)." };
    private readonly Option<string?> _type = new("--type") { Description = "Only this event type (messages.text, statuses.read, account_update, …), or a prefix such as statuses.* — as in a destination's Types." };
    private readonly Option<string?> _wabaId = new("--waba-id") { Description = "Only this WhatsApp Business Account (entry.id)." };
    private readonly Option<string?> _phoneNumberId = new("--phone-number-id") { Description = "Only this business phone number (metadata.phone_number_id)." };
    private readonly Option<bool> _test = new("--test") { Description = "Only test events (sent by wabahooks trigger and verify-endpoint)." };
    private readonly Option<bool> _noTest = new("--no-test") { Description = "Only events from Meta, without test events." };
    private readonly Option<string?> _destination = new("--destination") { Description = "Only events scheduled for this destination (its name), or for a sink by full name (handler:…)." };
    private readonly Option<string?> _outcome = new("--outcome") { Description = "Only events whose sink (of --destination, else any) is delivered, pending, failed (failed attempts, retrying or dead) or dead." };
    private readonly Option<int?> _status = new("--status") { Description = "Only events with an attempt answered with this HTTP status (by --destination when given)." };
    private readonly Option<string?> _search = new("--search") { Description = "Find by event id, delivery id, or a phrase in the payload (a wamid, a phone number, a word)." };
    private readonly Option<bool> _unrouted = new("--unrouted") { Description = "Only events that matched no destination or handler." };

    public void AddTo(Command command)
    {
        command.Options.Add(_field);
        command.Options.Add(_type);
        command.Options.Add(_wabaId);
        command.Options.Add(_phoneNumberId);
        command.Options.Add(_test);
        command.Options.Add(_noTest);
        command.Options.Add(_destination);
        command.Options.Add(_outcome);
        command.Options.Add(_status);
        command.Options.Add(_search);
        command.Options.Add(_unrouted);
    }

    /// <summary>A query with the filters given; its other conditions are left for the command to set.</summary>
    public EventQuery ToQuery(ParseResult parse, ICollection<string> errors)
    {
        if (parse.GetValue(_test) && parse.GetValue(_noTest))
        {
            errors.Add("--test and --no-test exclude each other; give one, or neither for both kinds.");
        }

        EventOutcome? outcome = parse.GetValue(_outcome)?.ToLowerInvariant() switch
        {
            null => null,
            "delivered" => EventOutcome.Delivered,
            "pending" => EventOutcome.Pending,
            "failed" => EventOutcome.Failed,
            "dead" => EventOutcome.Dead,
            var other => Error(errors, $"--outcome '{other}' is not one of delivered, pending, failed, dead."),
        };
        var destination = parse.GetValue(_destination);
        return new EventQuery
        {
            Field = parse.GetValue(_field),
            Type = parse.GetValue(_type),
            WabaId = parse.GetValue(_wabaId),
            PhoneNumberId = parse.GetValue(_phoneNumberId),
            Test = parse.GetValue(_test) ? true : parse.GetValue(_noTest) ? false : null,
            // A destination by its configured name; a sink of another kind (handler:…) by its full name.
            Destination = destination is null || destination.Contains(':', StringComparison.Ordinal) ? destination : DestinationOptions.SinkPrefix + destination,
            Outcome = outcome,
            HttpStatus = parse.GetValue(_status),
            Search = parse.GetValue(_search),
            Unrouted = parse.GetValue(_unrouted) ? true : null,
        };
    }

    private static EventOutcome? Error(ICollection<string> errors, string message)
    {
        errors.Add(message);
        return null;
    }
}
