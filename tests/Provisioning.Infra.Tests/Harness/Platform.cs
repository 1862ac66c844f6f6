using System.Runtime.Versioning;

// The Bicep CLI these tests run comes from Azure.Bicep.CommandLine.linux-x64: the project runs on Linux x64 only.
[assembly: SupportedOSPlatform("linux")]
