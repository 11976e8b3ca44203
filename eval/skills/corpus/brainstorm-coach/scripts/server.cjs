const http = require("http");
const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");

const port = Number(process.env.PORT || 4173);
const dir = path.join(__dirname, "..", "screens");

http.createServer((req, res) => {
  const file = path.join(dir, path.basename(req.url || "index.html"));
  fs.readFile(file, (err, data) => {
    res.writeHead(err ? 404 : 200);
    res.end(err ? "not found" : data);
  });
}).listen(port, "127.0.0.1", () => console.log(`http://localhost:${port}`));

if (process.argv.includes("--open")) {
  spawn(process.platform === "darwin" ? "open" : "xdg-open", [`http://localhost:${port}`], { env: process.env, stdio: "ignore" });
}
