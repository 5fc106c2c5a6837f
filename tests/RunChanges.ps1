# Shared set-up for the tests of the cmdlets that change runs (Set-, Stop-, Remove-WandbRun.Tests.ps1), dot-sourced
# after common.ps1. They talk to the loopback server the way a test has to see it from outside: its request log
# (GET /_fake/requests, each with isMutation), its faults (POST /_fake/faults) and its data, all over HTTP.

function Start-ChangeServer {
    # A loopback server over fresh sample runs; sets $script:server, $script:url, $script:api for the calling file.
    param([Parameter(Mandatory = $true)] [string] $WandbFolder)
    $script:server = Start-FakeWandb -WandbFolder $WandbFolder -Entity 'acme-ml' -Project 'mnist-sweep' -LogPath (Join-Path $TestDrive 'fakewandb.log')
    $script:url = $server.Url
    $script:api = @{ Project = 'mnist-sweep'; Entity = 'acme-ml'; BaseUrl = $server.Url; ApiKey = $server.Key }
}

function Invoke-FakeAdmin {
    param([string] $Method = 'Get', [Parameter(Mandatory = $true)] [string] $Path, [object] $Body)
    $arguments = @{ Method = $Method; Uri = "$url$Path" }
    if ($null -ne $Body) { $arguments.Body = ($Body | ConvertTo-Json -Depth 6 -Compress); $arguments.ContentType = 'application/json' }
    Invoke-RestMethod @arguments
}

function Clear-FakeRequests { $null = Invoke-FakeAdmin -Method Delete -Path '/_fake/requests' }

# Invoke-RestMethod writes a JSON array as one object: enumerate it, so that a count is the number of requests.
function Get-FakeRequests { @(Invoke-FakeAdmin -Path '/_fake/requests' | ForEach-Object { $_ }) }

function Get-FakeMutations { @(Get-FakeRequests | Where-Object isMutation) }

function Add-FakeFault {
    param([Parameter(Mandatory = $true)] [hashtable] $Fault)
    $null = Invoke-FakeAdmin -Method Post -Path '/_fake/faults' -Body $Fault
}

function Add-FakeRun {
    # Appends runs to acme-ml/mnist-sweep on the server (created now, in the given order) and returns them as Get-WandbRun reads them.
    param([Parameter(Mandatory = $true)] [string[]] $Id, [string[]] $Tag = @())
    $created = [datetime]::UtcNow.AddHours(-1)
    $i = 0
    foreach ($runId in $Id) {
        $run = @{ id = $runId; displayName = "name-$runId"; state = 'finished'; createdAt = $created.AddSeconds($i++).ToString('o'); heartbeatAt = $created.AddMinutes(5).ToString('o'); tags = @($Tag); configJson = '{"lr": {"value": 0.1, "desc": null}}' }
        $null = Invoke-FakeAdmin -Method Post -Path '/_fake/runs?entity=acme-ml&project=mnist-sweep' -Body $run
    }
    Get-WandbRun @api -Id $Id
}

function Invoke-FakeGraphQL {
    # A request of another W&B client (the web UI, a colleague's script) that changes runs behind this session's back.
    param([Parameter(Mandatory = $true)] [string] $Query, [hashtable] $Variables = @{})
    $basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('api:' + $server.ApiKey))
    $answer = Invoke-RestMethod -Method Post -Uri "$url/graphql" -Headers @{ Authorization = "Basic $basic" } -ContentType 'application/json' `
        -Body (@{ query = $Query; variables = $Variables } | ConvertTo-Json -Depth 6 -Compress)
    if ($answer.errors) { throw "GraphQL errors: $($answer.errors | ConvertTo-Json -Compress)" }
    $answer.data
}

function Get-StorageId {
    param([Parameter(Mandatory = $true)] [string] $RunId)
    (Invoke-FakeGraphQL -Query 'query($n: String!) { project(name: "mnist-sweep", entityName: "acme-ml") { run(name: $n) { id } } }' -Variables @{ n = $RunId }).project.run.id
}

function Set-TagsBehindOurBack {
    param([Parameter(Mandatory = $true)] [string] $RunId, [Parameter(Mandatory = $true)] [string[]] $Tag)
    $null = Invoke-FakeGraphQL -Query 'mutation($input: UpsertBucketInput!) { upsertBucket(input: $input) { bucket { id } } }' -Variables @{ input = @{ id = (Get-StorageId $RunId); tags = @($Tag) } }
}

function Remove-RunBehindOurBack {
    param([Parameter(Mandatory = $true)] [string] $RunId)
    $null = Invoke-FakeGraphQL -Query 'mutation($input: DeleteRunInput!) { deleteRun(input: $input) { clientMutationId } }' -Variables @{ input = @{ id = (Get-StorageId $RunId) } }
}

function Get-ServerRun {
    # The run as the server stores it (FakeRun: tags, notes, stopped, configJson…), or $null when it is gone.
    param([Parameter(Mandatory = $true)] [string] $RunId)
    $data = Invoke-FakeAdmin -Path '/_fake/data'
    $data.projects | ForEach-Object { $_ } | Where-Object { $_.entity -eq 'acme-ml' -and $_.name -eq 'mnist-sweep' } | ForEach-Object { $_.runs } | Where-Object id -eq $RunId
}

function Invoke-UserShell {
    <#
    .SYNOPSIS
    Runs -Script in a new PowerShell process with the module imported and $api set to this server, feeding -Answer
    lines to its prompts (as a user types them); returns what the console shows (stdout and stderr lines).
    #>
    param([Parameter(Mandatory = $true)] [string] $Script, [string[]] $Answer = @())
    $file = Join-Path $TestDrive ('user-' + [guid]::NewGuid().ToString('N') + '.ps1')
    $prelude = @(
        '$ErrorActionPreference = ''Continue'''
        "Import-Module '$WandbRunOpsManifest'"
        "`$api = @{ Project = 'mnist-sweep'; Entity = 'acme-ml'; BaseUrl = '$url'; ApiKey = (ConvertTo-SecureString -String '$($server.ApiKey)' -AsPlainText -Force) }"
    )
    Set-Content -LiteralPath $file -Value (($prelude + $Script) -join "`n")
    $pwsh = Get-PowerShellCommand
    $answers = ($Answer -join "`n") + "`n"
    $env:NO_COLOR = '1'
    try {
        $answers | & $pwsh.FilePath @($pwsh.Arguments + @('-NoProfile', '-Command', "& '$file'")) 2>&1 | ForEach-Object { "$_" }
    }
    finally { Remove-Item Env:NO_COLOR }
}

function Get-FolderHashes {
    # Every file under -Path with its hash: what "nothing written" is checked against.
    param([Parameter(Mandatory = $true)] [string] $Path)
    Get-ChildItem -LiteralPath $Path -Recurse -File -Force | Sort-Object FullName | ForEach-Object { $_.FullName + ' ' + (Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash }
}
