const s = "Y29uc29sZS5sb2coJ3gnKQ==";
new Function(Buffer.from(s, "base64").toString())();
