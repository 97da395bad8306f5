using WabaHooks.Events;

namespace WabaHooks.Tests.Events;

public sealed class MessageStatusOrderTests
{
    [Theory]
    [InlineData(null, "sent")]
    [InlineData(null, "delivered")]
    [InlineData("sent", "delivered")]
    [InlineData("delivered", "read")]
    [InlineData("read", "played")]
    [InlineData("delivered", "played")]
    [InlineData("sent", "failed")]
    [InlineData("read", "failed")]
    [InlineData("deleted", "sent")]
    public void A_later_status_advances(string? current, string incoming) =>
        Assert.True(MessageStatusOrder.ShouldAdvance(current, incoming));

    [Fact]
    public void Read_with_no_delivered_advances_straight_from_sent() =>
        Assert.True(MessageStatusOrder.ShouldAdvance("sent", "read"));

    [Theory]
    [InlineData("read", "delivered")]
    [InlineData("read", "sent")]
    [InlineData("played", "read")]
    [InlineData("delivered", "sent")]
    public void A_late_earlier_status_does_not_move_it_back(string current, string incoming) =>
        Assert.False(MessageStatusOrder.ShouldAdvance(current, incoming));

    [Theory]
    [InlineData("sent")]
    [InlineData("delivered")]
    [InlineData("read")]
    [InlineData("played")]
    [InlineData("failed")]
    [InlineData("warning")]
    public void Failed_is_final(string incoming) =>
        Assert.False(MessageStatusOrder.ShouldAdvance("failed", incoming));

    [Theory]
    [InlineData(null, "deleted")]
    [InlineData("sent", "warning")]
    [InlineData("sent", "")]
    [InlineData("sent", null)]
    [InlineData("sent", "READ")]
    public void An_unknown_status_never_moves_it(string? current, string? incoming) =>
        Assert.False(MessageStatusOrder.ShouldAdvance(current, incoming));

    [Theory]
    [InlineData("sent")]
    [InlineData("read")]
    public void The_same_status_again_does_not_advance(string status) =>
        Assert.False(MessageStatusOrder.ShouldAdvance(status, status));

    [Fact]
    public void Out_of_order_arrivals_end_at_the_highest_status()
    {
        string? current = null;
        foreach (var incoming in new[] { "read", "sent", "delivered", "deleted", "played", "read" })
        {
            if (MessageStatusOrder.ShouldAdvance(current, incoming))
            {
                current = incoming;
            }
        }

        Assert.Equal("played", current);
    }
}
