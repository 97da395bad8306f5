await EchoBot.EchoBotApp.Build(args).RunAsync();
