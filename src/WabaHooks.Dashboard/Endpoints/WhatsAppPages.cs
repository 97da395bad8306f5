using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using WabaHooks.Dashboard.Components.Pages;
using WabaHooks.Dashboard.Views;
using WabaHooks.Hosting.Admin;
using WabaHooks.Storage;

namespace WabaHooks.Dashboard.Endpoints;

/// <summary>The views only a WhatsApp gateway has: template lifecycle, phone-number quality and limits, account alerts.</summary>
internal static class WhatsAppPages
{
    private const int Limit = 200;

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/templates", (HttpContext c, WabaHooksQueries q, CancellationToken t) => RenderAsync(c, q, "Templates", "templates",
            "Each template's lifecycle: review decisions, pauses, quality ratings and category changes, newest first.", WhatsAppTimeline.TemplateFields, t));
        group.MapGet("/phone-numbers", (HttpContext c, WabaHooksQueries q, CancellationToken t) => RenderAsync(c, q, "Phone numbers", "phone-numbers",
            "Quality rating and messaging-limit changes of each phone number, and display-name reviews.", WhatsAppTimeline.PhoneFields, t));
        group.MapGet("/account", (HttpContext c, WabaHooksQueries q, CancellationToken t) => RenderAsync(c, q, "Account alerts", "account",
            "Alerts, bans, restrictions, policy violations and reviews of the WhatsApp Business Accounts.", WhatsAppTimeline.AccountFields, t));
    }

    private static async Task<IResult> RenderAsync(HttpContext context, WabaHooksQueries queries, string title, string active, string intro, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        var entries = new List<TimelineEntry>();
        foreach (var field in fields)
        {
            var page = await queries.ListEventsAsync(new EventQuery { Field = field, Limit = Limit }, cancellationToken).ConfigureAwait(false);
            entries.AddRange(page.Items.Select(r => WhatsAppTimeline.Read(r.Event.Id, r.Event.StoredAt, r.Event.Field, r.Event.RawJson)));
        }

        var request = await DashboardRequests.CreateAsync(context).ConfigureAwait(false);
        return new RazorComponentResult<WhatsAppTimelinePage>(new
        {
            Request = request,
            Title = title,
            Active = active,
            Intro = (string?)intro,
            Fields = fields,
            Entries = (IReadOnlyList<TimelineEntry>)[.. entries.OrderByDescending(e => e.At).Take(Limit)],
        });
    }
}
