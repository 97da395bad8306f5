using WabaHooks.Events;
using WabaHooks.Payloads;
using Fixtures = WabaHooks.Testing.ExamplePayloads;

namespace WabaHooks.Tests.Payloads;

public sealed class CallPayloadTests
{
    [Fact]
    public void A_user_initiated_connect_carries_the_sdp_offer_exactly_as_sent()
    {
        var connect = Assert.IsType<CallConnect>(Single("calls-connect-user-initiated.json").Payload);

        Assert.Equal(("connect", "USER_INITIATED", "447700900456", "15550142233"), (connect.Event, connect.Direction, connect.From, connect.To));
        Assert.Equal(CallConnect.Offer, connect.Session!.SdpType);
        Assert.StartsWith("v=0\r\no=- 4815162342108", connect.Session.Sdp, StringComparison.Ordinal);
        Assert.EndsWith("cname:waCallerStream7\r\n", connect.Session.Sdp, StringComparison.Ordinal);
        Assert.Equal("support-line-billing", connect.CtaPayload);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767263001), connect.Timestamp);
    }

    [Fact]
    public void A_business_initiated_connect_carries_the_sdp_answer_and_the_callback_data()
    {
        var connect = Assert.IsType<CallConnect>(Single("calls-connect-business-initiated.json").Payload);

        Assert.Equal((CallConnect.Answer, "BUSINESS_INITIATED", "callback-req:55120"), (connect.Session!.SdpType, connect.Direction, connect.BizOpaqueCallbackData));
    }

    [Fact]
    public void A_completed_terminate_has_its_start_end_and_duration()
    {
        var terminate = Assert.IsType<CallTerminate>(Single("calls-terminate-completed.json").Payload);

        Assert.True(terminate.IsCompleted);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767263009), terminate.StartTime);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767263190), terminate.EndTime);
        Assert.Equal(181, terminate.Duration);
        Assert.Null(terminate.Errors);
    }

    [Fact]
    public void A_recording_available_event_has_the_audio_to_download()
    {
        var recording = Assert.IsType<CallRecordingAvailable>(Single("calls-recording-available.json").Payload);

        Assert.Equal("audio", recording.CallRecording!.Type);
        Assert.Equal(("1300000000000211", "audio/ogg; codecs=opus"), (recording.CallRecording.Audio!.Id, recording.CallRecording.Audio.MimeType));
        Assert.NotNull(recording.CallRecording.Audio.Url);
    }

    [Theory]
    [InlineData("calls-status-ringing.json", CallStatus.Ringing, "calls.statuses.ringing")]
    [InlineData("calls-status-accepted.json", CallStatus.Accepted, "calls.statuses.accepted")]
    [InlineData("calls-status-rejected.json", CallStatus.Rejected, "calls.statuses.rejected")]
    public void Call_statuses_of_the_examples_are_typed(string file, string status, string type)
    {
        var e = Single(file);

        var callStatus = Assert.IsType<CallStatus>(e.Payload);
        Assert.Equal((type, WabaEventKind.CallStatus), (e.Type, e.Kind));
        Assert.Equal((status, "call", "447700900456"), (callStatus.Status, callStatus.Type, callStatus.RecipientId));
        Assert.Equal($"call-status:{callStatus.Id}:{status}", e.Id);
        Assert.StartsWith("wacid.", callStatus.Id, StringComparison.Ordinal);
    }

    [Fact]
    public void A_transcription_available_event_has_the_document_to_download()
    {
        var body = """
            {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"calls","value":{"calls":[
              {"id":"wacid.T","from":"44","from_user_id":"US.1","timestamp":"1767263232","event":"call_transcription_available",
               "call_transcript":{"document":{"id":"13","sha256":"x=","mime_type":"application/json","url":"https://example.test/t"}}}]}}]}]}
            """u8.ToArray();

        var e = Assert.Single(DeliverySplitter.Split(body, 1).Events);

        var transcription = Assert.IsType<CallTranscriptionAvailable>(e.Payload);
        Assert.Equal(("calls.call_transcription_available", "application/json", "US.1"), (e.Type, transcription.CallTranscript!.Document!.MimeType, transcription.FromUserId));
    }

    [Fact]
    public void A_connect_with_the_older_connection_form_keeps_its_sdp_as_text()
    {
        var body = """
            {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"calls","value":{"calls":[
              {"id":"wacid.L","event":"connect","timestamp":"1767264002","direction":"BUSINESS_INITIATED",
               "connection":{"webrtc":{"sdp":"{\"sdp\":\"v=0\\r\\n\",\"type\":\"answer\"}"}}}]}}]}]}
            """u8.ToArray();

        var connect = Assert.IsType<CallConnect>(Assert.Single(DeliverySplitter.Split(body, 1).Events).Payload);

        Assert.Null(connect.Session);
        Assert.Equal("""{"sdp":"v=0\r\n","type":"answer"}""", connect.Connection!.Webrtc!.Sdp);
    }

    [Fact]
    public void A_sip_call_created_event_is_typed_without_a_session()
    {
        var e = Single("calls-call-created-sip.json");

        Assert.Equal(WabaEventTypes.CallsCallCreated, e.Type);
        var created = Assert.IsType<CallCreated>(e.Payload);
        Assert.Equal(("USER_INITIATED", "447700900456"), (created.Direction, created.From));
    }

    [Fact]
    public void A_transcription_available_event_carries_the_transcript_media()
    {
        var e = Single("calls-transcription-available.json");

        Assert.Equal(WabaEventTypes.CallsCallTranscriptionAvailable, e.Type);
        var transcript = Assert.IsType<CallTranscriptionAvailable>(e.Payload).CallTranscript!.Document!;
        Assert.Equal(("1300000000000212", "application/json"), (transcript.Id, transcript.MimeType));
    }

    [Fact]
    public void An_unanswered_terminate_has_no_start_end_or_duration()
    {
        var terminate = Assert.IsType<CallTerminate>(Single("calls-terminate-unanswered.json").Payload);

        Assert.Equal("COMPLETED", terminate.Status);
        Assert.Equal((null, null, null), (terminate.StartTime, terminate.EndTime, terminate.Duration));
    }

    [Fact]
    public void Value_level_call_errors_alone_are_one_calls_errors_event()
    {
        var e = Single("calls-value-errors.json");

        Assert.Equal((WabaEventTypes.CallsErrors, WabaEventKind.Errors), (e.Type, e.Kind));
        Assert.Equal(131044, Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<WhatsAppError>>(e.Payload)).Code);
    }

    private static WabaEvent Single(string file)
    {
        var result = DeliverySplitter.Split(Fixtures.Read(file), 1);
        Assert.True(result.IsSuccess, result.Error);
        return Assert.Single(result.Events);
    }
}
