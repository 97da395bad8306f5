using System.CommandLine;
using WabaHooks.Storage;

namespace WabaHooks.Cli.Commands;

/// <summary>The event filters of <c>events list</c> and <c>events tail</c>, so both select events the same way.</summary>
internal sealed class EventFilterOptions
{
    private readonly Option<string?> _field = new("--field") { Description = "Only this field (messages, account_update, …)." };
    private readonly Option<string?> _type = new("--type") { Description = "Only this event type (messages.text, statuses.read, account_update, …), or a prefix such as statuses.* — as in a destination's Types." };
    private readonly Option<string?> _wabaId = new("--waba-id") { Description = "Only this WhatsApp Business Account (entry.id)." };
    private readonly Option<string?> _phoneNumberId = new("--phone-number-id") { Description = "Only this business phone number (metadata.phone_number_id)." };
    private readonly Option<bool> _test = new("--test") { Description = "Only test events (sent by wabahooks trigger and verify-endpoint)." };
    private readonly Option<bool> _noTest = new("--no-test") { Description = "Only events from Meta, without test events." };

    public void AddTo(Command command)
    {
        command.Options.Add(_field);
        command.Options.Add(_type);
        command.Options.Add(_wabaId);
        command.Options.Add(_phoneNumberId);
        command.Options.Add(_test);
        command.Options.Add(_noTest);
    }

    /// <summary>A query with the filters given; its other conditions are left for the command to set.</summary>
    public EventQuery ToQuery(ParseResult parse, ICollection<string> errors)
    {
        if (parse.GetValue(_test) && parse.GetValue(_noTest))
        {
            errors.Add("--test and --no-test exclude each other; give one, or neither for both kinds.");
        }

        return new EventQuery
        {
            Field = parse.GetValue(_field),
            Type = parse.GetValue(_type),
            WabaId = parse.GetValue(_wabaId),
            PhoneNumberId = parse.GetValue(_phoneNumberId),
            Test = parse.GetValue(_test) ? true : parse.GetValue(_noTest) ? false : null,
        };
    }
}
