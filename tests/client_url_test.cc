#include "client/url.h"

#include <gtest/gtest.h>

namespace modelgate::client {
namespace {

TEST(ParseUrl, HostPortAndBasePath) {
  auto url = ParseUrl("http://127.0.0.1:8080/api/");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->base_path, "/api");
  EXPECT_EQ(url->Target("/v1/score"), "/api/v1/score");
  EXPECT_EQ(url->authority(), "127.0.0.1:8080");
}

TEST(ParseUrl, DefaultPortAndIpv6) {
  auto plain = ParseUrl("http://localhost");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->port, 80);
  EXPECT_EQ(plain->Target("/healthz"), "/healthz");
  auto v6 = ParseUrl("http://[::1]:9000");
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 9000);
}

TEST(ParseUrl, PortBounds) {
  EXPECT_TRUE(ParseUrl("http://h:1").ok());
  EXPECT_TRUE(ParseUrl("http://h:65535").ok());
  EXPECT_FALSE(ParseUrl("http://h:0").ok());
  EXPECT_FALSE(ParseUrl("http://h:65536").ok());
  EXPECT_FALSE(ParseUrl("http://h:").ok());
  EXPECT_FALSE(ParseUrl("http://h:80x").ok());
}

TEST(ParseUrl, RejectsWhatClientsCannotUse) {
  auto https = ParseUrl("https://h");
  ASSERT_FALSE(https.ok());
  EXPECT_NE(https.status().message().find("https is not supported"), std::string::npos);
  EXPECT_FALSE(ParseUrl("h:8080").ok());
  EXPECT_FALSE(ParseUrl("http://").ok());
  EXPECT_FALSE(ParseUrl("http://user@h").ok());
  EXPECT_FALSE(ParseUrl("http://h/p?q=1").ok());
  EXPECT_FALSE(ParseUrl("http://[::1").ok());
}

}  // namespace
}  // namespace modelgate::client
