using System.CommandLine;
using System.Globalization;
using WabaHooks.Cli.Checks;
using WabaHooks.Cli.Configuration;
using WabaHooks.Cli.Output;
using WabaHooks.Cli.Trigger;
using WabaHooks.Signatures;

namespace WabaHooks.Cli.Commands;

/// <summary>
/// <c>wabahooks trigger</c>: realistic, correctly signed notifications for every field and variant, posted to an
/// endpoint as Meta would — the App Dashboard's Test button, without a tunnel.
/// </summary>
internal static class TriggerCommand
{
    public static Command Create()
    {
        var field = new Argument<string?>("FIELD") { Description = "The webhook field, such as messages or account_update (see --list).", Arity = ArgumentArity.ZeroOrOne };
        var variant = new Option<string?>("--variant") { Description = "The variant, such as text, status-read or interactive-button-reply; several, comma-separated, share the run's ids [default: the field's plain example; text for messages]." };
        var all = new Option<bool>("--all") { Description = "Send every variant: of FIELD when given, else of every field." };
        var file = new Option<string?>("--file") { Description = "Send this file's exact bytes, signed, instead of a built-in notification." };
        var list = new Option<bool>("--list") { Description = "List the fields and their variants." };
        var url = new Option<string?>("--url") { Description = "The endpoint's callback URL [default: the local gateway's, from the configuration's Serve:Urls and Serve:Path]." };
        var appSecret = new Option<string?>("--app-secret") { Description = "The app secret to sign with (SECRET or APP_ID:SECRET) [default: the configured one, else the one serve generated in the data directory]. Never printed." };
        var gateway = new GatewayOptions();
        var wabaId = new Option<string?>("--waba-id") { Description = "The WABA id to put in the notifications [default: made up for this run]." };
        var phoneNumberId = new Option<string?>("--phone-number-id") { Description = "The phone-number id to put in the notifications [default: made up for this run]." };
        var count = new Option<int>("--count") { Description = "Send each notification this many times: each inbound message with its own wamid; a status the run's outbound message already had goes to a new outbound message, as Meta never repeats one.", DefaultValueFactory = _ => 1 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight.", DefaultValueFactory = _ => 1 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for each answer.", DefaultValueFactory = _ => 10 };
        var command = new Command("trigger", "Send signed test notifications to an endpoint, as Meta would. Exit 0 only when every one was answered 200.");
        command.Arguments.Add(field);
        command.Options.Add(variant);
        command.Options.Add(all);
        command.Options.Add(file);
        command.Options.Add(list);
        command.Options.Add(url);
        command.Options.Add(appSecret);
        command.Options.Add(wabaId);
        command.Options.Add(phoneNumberId);
        command.Options.Add(count);
        command.Options.Add(concurrency);
        command.Options.Add(timeout);
        gateway.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            const string name = "trigger";
            if (parse.GetValue(list))
            {
                WriteList(Console.Out);
                return ExitCodes.Success;
            }

            var errors = new List<string>();
            var local = gateway.Resolve(parse, errors);
            Uri? target = local.CallbackUrl;
            if (parse.GetValue(url) is { } given && (!Uri.TryCreate(given, UriKind.Absolute, out target) || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)))
            {
                errors.Add($"--url must be an absolute http or https URL (was '{given}').");
            }

            var secret = parse.GetValue(appSecret) is null ? local.AppSecret : VerifyEndpointCommand.ParseSecret(parse.GetValue(appSecret), errors);
            if (secret is null)
            {
                errors.Add($"--app-secret is required: Meta signs every notification with the app secret. None is configured (WabaHooks:AppSecrets in {gateway.Source(parse)}), and serve has not generated one in {gateway.CredentialsFile(parse)}.");
            }

            var waba = IdOption(parse.GetValue(wabaId), "--waba-id", errors);
            var phone = IdOption(parse.GetValue(phoneNumberId), "--phone-number-id", errors);
            if (parse.GetValue(count) < 1)
            {
                errors.Add("--count must be at least 1.");
            }

            if (parse.GetValue(concurrency) < 1)
            {
                errors.Add("--concurrency must be at least 1.");
            }

            if (parse.GetValue(timeout) is not (> 0 and <= 600))
            {
                errors.Add("--timeout must be between 0 and 600 seconds.");
            }

            var run = new TriggerRun(waba ?? MetaIds.NewGraphId(), phone ?? MetaIds.NewGraphId(), TimeProvider.System);
            var sends = Select(parse.GetValue(field), parse.GetValue(variant), parse.GetValue(all), parse.GetValue(file), run, errors);
            if (errors.Count > 0 || target is null || secret is null)
            {
                return CommonOptions.Fail(name, errors);
            }

            var times = parse.GetValue(count);
            var names = new List<string>();
            var bodies = new List<byte[]>();
            foreach (var (label, render) in sends)
            {
                for (var i = 0; i < times; i++)
                {
                    names.Add(label);
                    bodies.Add(render());
                }
            }

            var output = Console.Out;
            if (parse.GetValue(url) is null)
            {
                output.WriteLine($"Sending to the local gateway at {target} (--url to send elsewhere).");
            }

            if (parse.GetValue(file) is null)
            {
                output.WriteLine($"Run ids: WABA {run.WabaId}, phone number {run.PhoneNumberId}.");
            }

            using var probe = new EndpointProbe(TimeSpan.FromSeconds(parse.GetValue(timeout)), parse.GetValue(concurrency));
            var progress = times > 1 ? new ProgressLine("trigger", bodies.Count) : null;
            var answers = await NotificationBurst.SendAsync(probe, target, bodies, secret, parse.GetValue(concurrency), progress, cancellationToken).ConfigureAwait(false);
            if (times == 1)
            {
                for (var i = 0; i < answers.Length; i++)
                {
                    output.WriteLine($"{(answers[i].IsOk ? "OK  " : "FAIL")}  {names[i]}  {answers[i].StatusText}  {answers[i].Milliseconds}{Reason(answers[i])}");
                }
            }
            else
            {
                foreach (var (answer, label) in answers.Zip(names).Where(p => !p.First.IsOk).Take(10))
                {
                    output.WriteLine($"FAIL  {label}  {answer.StatusText}{Reason(answer)}");
                }
            }

            var ok = answers.Count(a => a.IsOk);
            if (answers.Length > 1)
            {
                var latency = new LatencySummary(answers.Select(a => a.Elapsed));
                output.WriteLine(
                    $"Sent {answers.Length.ToString(CultureInfo.InvariantCulture)} to {target}: {ok.ToString(CultureInfo.InvariantCulture)} answered 200, " +
                    $"{(answers.Length - ok).ToString(CultureInfo.InvariantCulture)} did not. Latency p50 {LatencySummary.Ms(latency.P50)}, p99 {LatencySummary.Ms(latency.P99)}.");
            }

            return ok == answers.Length ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    /// <summary>What to send: a label and a way to make each body, so every send gets its own wamids.</summary>
    private static List<(string Label, Func<byte[]> Render)> Select(string? field, string? variant, bool all, string? file, TriggerRun run, ICollection<string> errors)
    {
        if (file is not null)
        {
            if (field is not null || variant is not null || all)
            {
                errors.Add("--file sends the file as it is; give no FIELD, --variant or --all with it.");
                return [];
            }

            if (!File.Exists(file))
            {
                errors.Add($"--file: {file} does not exist.");
                return [];
            }

            var bytes = File.ReadAllBytes(file);
            return [(Path.GetFileName(file), () => bytes)];
        }

        if (field is not null && TemplateCatalog.ForField(field).Count == 0)
        {
            errors.Add($"No field '{field}'. Fields: {string.Join(", ", TemplateCatalog.Fields)}.");
            return [];
        }

        if (all)
        {
            if (variant is not null)
            {
                errors.Add("--all sends every variant; give no --variant with it.");
                return [];
            }

            var templates = field is null ? TemplateCatalog.All : TemplateCatalog.ForField(field);
            return [.. templates.Select(t => (t.Name, (Func<byte[]>)(() => run.Render(t))))];
        }

        if (field is null)
        {
            errors.Add("Give a FIELD (see wabahooks trigger --list), --all, --file PAYLOAD.json, or --list.");
            return [];
        }

        // Several variants in one run tell one story: status-sent-v23,status-delivered,status-read share a wamid.
        var selected = new List<(string, Func<byte[]>)>();
        var names = variant is null ? new string?[] { null } : (string?[])variant.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in names)
        {
            var template = TemplateCatalog.Find(field, name);
            if (template is null)
            {
                var variants = string.Join(", ", TemplateCatalog.ForField(field).Select(t => t.Variant));
                errors.Add(name is null
                    ? $"{field} has several variants; choose one with --variant: {variants}."
                    : $"{field} has no variant '{name}'. Variants: {variants}.");
                return [];
            }

            selected.Add((template.Name, () => run.Render(template)));
        }

        return selected;
    }

    /// <summary>
    /// What the server said when it refused (the body of its 401, 403, 415, …), on the same line: the status alone does
    /// not tell a wrong secret from a wrong path.
    /// </summary>
    private static string Reason(EndpointAnswer answer) =>
        answer.IsOk || answer.Body.Trim().Length == 0 ? "" : "  — " + VerificationHandshake.Show(answer.Body.Trim());

    private static string? IdOption(string? value, string option, ICollection<string> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (!MetaIds.IsGraphId(value))
        {
            errors.Add($"{option} must be a numeric Graph id, such as 109876543210001 (was '{value}').");
            return null;
        }

        return value;
    }

    private static void WriteList(TextWriter output)
    {
        var table = new TextTable("FIELD", "VARIANTS");
        foreach (var field in TemplateCatalog.Fields)
        {
            table.Add(field, string.Join(", ", TemplateCatalog.ForField(field).Select(t => t.Variant)));
        }

        table.Write(output);
    }
}
