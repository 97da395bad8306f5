using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WabaHooks.Hosting.Configuration;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Testing;

namespace WabaHooks.Hosting.Tests.Configuration;

/// <summary>
/// One <c>Destinations</c> list, several transports: <c>Kind</c> picks the transport a package registered, its own
/// settings are read from the same item with the same binder, and a kind nobody handles stops start-up saying what to add.
/// </summary>
public sealed class DestinationKindTests
{
    [Fact]
    public void A_broker_kind_whose_package_was_not_added_stops_start_up_saying_which_package_and_call_to_add()
    {
        using var bound = Bound.Valid(""" "Destinations": [ { "Name": "bus", "Kind": "rabbitmq", "Url": "amqp://rabbit:5672/", "Exchange": "whatsapp", "RoutingKey": "{type}" } ] """);

        // One problem: the keys only a RabbitMQ destination knows are not reported as unknown besides.
        Assert.Equal(["Destination 'bus': Kind 'rabbitmq' needs the WabaHooks.RabbitMQ package and builder.AddRabbitMqDestinations(); this application has not added it."], bound.Problems);
    }

    [Fact]
    public void An_unknown_kind_stops_start_up_naming_the_kinds_there_are()
    {
        using var bound = Bound.Valid(""" "Destinations": [ { "Name": "bus", "Kind": "carrier-pigeon", "Url": "coop://roof/" } ] """, b => b.AddDestinationKind<QueueSettings>("queue", (_, _, _) => throw new NotSupportedException()));

        Assert.Equal(["Destination 'bus': Kind 'carrier-pigeon' is not known. Use one of: http, queue."], bound.Problems);
    }

    [Fact]
    public void A_registered_kind_reads_its_own_settings_from_the_same_item_with_secrets_from_files()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("password"), "s3cret\n");
        using var bound = Bound.Valid(
            $$""" "Destinations": [ { "Name": "bus", "Kind": "queue", "Url": "queue://broker:1234/", "Topic": "whatsapp.{type}", "Password": { "File": "{{dir.Combine("password")}}" }, "Types": [ "messages.*" ] } ] """,
            b => b.AddDestinationKind<QueueSettings>("queue", (_, _, _) => throw new NotSupportedException()));

        Assert.Empty(bound.Problems);
        var destination = Assert.Single(bound.Destinations);
        Assert.Equal(("queue", new Uri("queue://broker:1234/"), "messages.*"), (destination.Kind, destination.Url, Assert.Single(destination.Types)));
        var own = bound.Services.GetRequiredService<IOptionsMonitor<QueueSettings>>().Get("bus");
        Assert.Equal(("whatsapp.{type}", "s3cret"), (own.Topic, own.Password));
    }

    [Fact]
    public void A_registered_kind_reports_its_unknown_keys_and_its_own_problems_with_the_common_ones()
    {
        using var bound = Bound.Valid(
            """ "Destinations": [ { "Name": "bus", "Kind": "queue", "Url": "queue://broker/", "Topic": "{nope}", "Secret": "s", "Exchnage": "x" } ] """,
            b => b.AddDestinationKind<QueueSettings>("queue", (_, _, _) => throw new NotSupportedException()));

        Assert.Equal(
            [
                "Destination 'bus': Secret signs HTTP requests only; a queue destination authenticates with its broker's credentials. Remove it.",
                "Destination 'bus': Topic '{nope}' cannot be used: {nope} is not a placeholder; use {field}, {type}, {waba_id}, {phone_number_id}.",
            ],
            bound.Problems.Where(p => !p.Contains("Exchnage", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Single(bound.Problems, p => p.StartsWith("WabaHooks:Destinations:0:Exchnage is not a setting.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{type}", "statuses.read")]
    [InlineData("whatsapp.{waba_id}.{type}", "whatsapp.109876543210001.statuses.read")]
    [InlineData("{field}/{phone_number_id}", "messages/none")]
    public void An_address_template_takes_the_events_values(string template, string expected)
    {
        Assert.True(AddressTemplate.TryParse(template, out var parsed, out _));
        var e = new Events.WabaEvent
        {
            Id = "status:wamid.x:read", Type = "statuses.read", Kind = Events.WabaEventKind.Status, Field = "messages", WabaId = "109876543210001",
            DeliveryId = 1, Position = 0, Payload = "", RawJson = default,
        };

        Assert.Equal(expected, parsed!.Expand(e));
    }

    [Fact]
    public void A_value_can_add_no_token_or_wildcard_to_an_address()
    {
        Assert.True(AddressTemplate.TryParse("x.{waba_id}.{type}", out var parsed, out _));
        var e = new Events.WabaEvent
        {
            Id = "x", Type = "odd.ty pe*", Kind = Events.WabaEventKind.Change, Field = "f", WabaId = "1.2>3",
            DeliveryId = 1, Position = 0, Payload = "", RawJson = default,
        };

        Assert.Equal("x.1_2_3.odd.ty_pe_", parsed!.Expand(e));
    }

    /// <summary>The settings of a made-up kind, as a broker package declares its own.</summary>
    public sealed class QueueSettings : IDestinationKindSettings
    {
        public string Topic { get; set; } = "{type}";

        [Secret]
        public string Password { get; set; } = "";

        public IEnumerable<string> Validate(DestinationOptions destination)
        {
            if (!AddressTemplate.TryParse(Topic, out _, out var problem))
            {
                yield return $"Destination '{destination.Name}': Topic '{Topic}' cannot be used: {problem}.";
            }
        }
    }
}
