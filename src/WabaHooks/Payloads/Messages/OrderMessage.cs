namespace WabaHooks.Payloads;

/// <summary>An <c>order</c> message: a cart sent from a catalog.</summary>
public sealed class OrderMessage : InboundMessage
{
    /// <summary>The order.</summary>
    public Order? Order { get; set; }
}

/// <summary><c>order</c>.</summary>
public sealed class Order : PayloadObject
{
    /// <summary>The catalog ID.</summary>
    public string? CatalogId { get; set; }

    /// <summary>Text sent with the order; usually empty.</summary>
    public string? Text { get; set; }

    /// <summary>The items.</summary>
    public IReadOnlyList<ProductItem>? ProductItems { get; set; }
}

/// <summary><c>order.product_items[]</c>.</summary>
public sealed class ProductItem : PayloadObject
{
    /// <summary>The product's retailer ID (SKU).</summary>
    public string? ProductRetailerId { get; set; }

    /// <summary>How many.</summary>
    public long Quantity { get; set; }

    /// <summary>The unit price.</summary>
    public decimal ItemPrice { get; set; }

    /// <summary>ISO 4217 currency code.</summary>
    public string? Currency { get; set; }
}
