using WabaHooks.Cli.Output;
using WabaHooks.Inbox;

namespace WabaHooks.Cli.Tests.Output;

public sealed class DeliveryJsonTests
{
    [Theory]
    [InlineData(DeliveryFlags.None, new string[0])]
    [InlineData(DeliveryFlags.NotJson, new[] { "not-json" })]
    [InlineData(DeliveryFlags.InvalidUnicode, new[] { "invalid-unicode" })]
    [InlineData(DeliveryFlags.UnexpectedObject | DeliveryFlags.InvalidUnicode, new[] { "unexpected-object", "invalid-unicode" })]
    [InlineData(DeliveryFlags.NotJson | DeliveryFlags.InvalidUnicode, new[] { "not-json", "invalid-unicode" })]
    public void Every_flag_has_a_name_in_list_and_show(DeliveryFlags flags, string[] names)
    {
        Assert.Equal(names, DeliveryJson.FlagNames(flags));
    }
}
