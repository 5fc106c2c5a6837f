# The API source against the project's loopback W&B server, started by this test in its own process: the same
# runbook questions as against local folders, the connection cmdlets, and errors. Runs where pwsh and Pester 5 are.

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:server = Start-FakeWandb -WandbFolder $wandb -Entity 'acme-ml' -Project 'mnist-sweep' `
        -ApiKey 'local-pester0123456789abcdef0123456789abcdef01' -LogPath (Join-Path $TestDrive 'fakewandb.log')
    $script:apiKey = $server.ApiKey
    $script:key = $server.Key
    $script:url = $server.Url
    $script:api = @{ Project = 'mnist-sweep'; Entity = 'acme-ml'; BaseUrl = $url; ApiKey = $key }
    $script:local = @{ Path = $wandb }
}

AfterAll {
    Disconnect-Wandb
    Stop-FakeWandb -Server $server
}

Describe 'Get-WandbRun over the W&B API' {
    It 'lists the same runs as the local folders, in the same order' {
        $remote = @(Get-WandbRun @api)
        $remote | Should -HaveCount 8
        ($remote.Id -join ',') | Should -Be ((Get-WandbRun @local).Id -join ',')
        $remote[0].Source | Should -Be 'Api'
        $remote[0].CreatedAt.Kind | Should -Be 'Utc'
        $remote[0].Url | Should -BeLike "$url/acme-ml/mnist-sweep/runs/fin0001a"
    }

    It 'answers <Question> the same way as locally' -TestCases @(
        @{ Question = 'learning rate above 0.01'; Script = { param($s) Get-WandbRun @s | Get-RunConfig | Where-Object learning_rate -gt 0.01 | ForEach-Object RunId } }
        @{ Question = 'the best run by accuracy'; Script = { param($s) Get-WandbRun @s | Where-Object { $_.Summary.accuracy -is [double] -and -not [double]::IsNaN($_.Summary.accuracy) } | Sort-Object { $_.Summary.accuracy } -Descending | Select-Object -First 1 -ExpandProperty Id } }
        @{ Question = 'runs per state'; Script = { param($s) Get-WandbRun @s | Group-Object State -NoElement | Sort-Object Name | ForEach-Object { '{0}={1}' -f $_.Name, $_.Count } } }
        @{ Question = 'runtimes over an hour'; Script = { param($s) Get-WandbRun @s | Measure-RunRuntime | Where-Object Runtime -gt ([timespan]::FromHours(1)) | ForEach-Object RunId } }
        @{ Question = 'which finished runs logged model:latest'; Script = { param($s) Get-WandbRun @s | Where-Object State -eq Finished | ForEach-Object { '{0}={1}' -f $_.Id, [bool]($_ | Get-RunLoggedArtifact -Name model:latest -ErrorAction SilentlyContinue) } } }
        @{ Question = 'the average runtime'; Script = { param($s) (Get-WandbRun @s | Measure-RunRuntime | Measure-Object Seconds -Average).Average } }
    ) {
        $localAnswer = & $Script $local
        $remoteAnswer = & $Script $api
        $localAnswer | Should -Not -BeNullOrEmpty
        ($remoteAnswer -join '|') | Should -Be ($localAnswer -join '|')
    }

    It 'selects runs by -Tag as W&B''s own clients ask for them (the server fails on $all under tags)' {
        $verbose = Get-WandbRun @api -Tag sweep, best -MaximumRetryCount 0 -Verbose -ErrorVariable failed 4>&1
        $failed | Should -BeNullOrEmpty
        @($verbose | Where-Object { $_ -is [WandbRunOps.Model.WandbRun] }).Id | Should -Be @('fin0002b')
        $sent = @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Filter sent to the server:*' })
        $sent[0].Message | Should -Be 'Filter sent to the server: {"$and":[{"tags":{"$in":["sweep"]}},{"tags":{"$in":["best"]}}]}'
    }

    It 'matches -Filter state values in any case, as locally' {
        $finished = @(Get-WandbRun @local -State Finished).Id -join ','
        @(Get-WandbRun @api -Filter @{ state = 'Finished' }).Id -join ',' | Should -Be $finished
        @(Get-WandbRun @api -Filter @{ state = 'FINISHED' } -Tag sweep).Id -join ',' | Should -Be (@(Get-WandbRun @local -State Finished -Tag sweep).Id -join ',')
    }

    It 'names the GraphQL address in -Verbose with a single slash before graphql' {
        $posts = @(Get-WandbRun @api -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'POST *' })
        $posts | Should -Not -BeNullOrEmpty
        foreach ($post in $posts) { $post.Message | Should -BeLike "POST $url/graphql Runs *" }
        # The same address when the base URL is typed with a trailing slash.
        $slashed = @(Get-WandbRun @api -BaseUrl "$url/" -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'POST *' })
        $slashed[0].Message | Should -BeLike "POST $url/graphql Runs *"
    }

    It 'reports a missing run as WandbRunNotFound with entity/project/id as target' {
        Get-WandbRun @api -Id zzzz9999 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'WandbRunNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be 'acme-ml/mnist-sweep/zzzz9999'
    }

    It 'fails with WandbAuthenticationFailed, naming where the key came from but never the key' {
        $bad = [System.Security.SecureString]::new()
        foreach ($c in 'bad-key-never-shown'.ToCharArray()) { $bad.AppendChar($c) }
        $caught = $null
        try { Get-WandbRun -Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $bad } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'WandbAuthenticationFailed,*'
        $caught.Exception.Message | Should -BeLike '*-ApiKey parameter*'
        ($caught | Out-String) | Should -Not -BeLike '*bad-key-never-shown*'
    }
}

Describe 'Pipeline binding of API runs' {
    BeforeAll {
        # No ./wandb and no connection here: whatever is read must come from the piped objects' own project.
        Push-Location $TestDrive
        $script:connection = @{ BaseUrl = $url; ApiKey = $key }
    }

    AfterAll {
        Pop-Location
    }

    It 'takes a [pscustomobject] with Id and Project to the API' {
        $run = @([pscustomobject]@{ Id = 'fin0002b'; Project = 'acme-ml/mnist-sweep' } | Get-WandbRun @connection)
        $run.Id | Should -Be @('fin0002b')
        $run.Source | Should -Be @('Api')
    }

    It 'takes the rows of a CSV of API runs back to the API' {
        $csv = Join-Path $TestDrive 'api-runs.csv'
        Get-WandbRun @api -Id fin0001a, fin0003c | Export-Csv -LiteralPath $csv
        $back = @(Import-Csv -LiteralPath $csv | Get-WandbRun @connection)
        $back.Id -join ',' | Should -Be 'fin0001a,fin0003c'
        ($back.Source | Select-Object -Unique) | Should -Be 'Api'
    }

    It 'goes from an API artifact to its run''s summary by RunId and RunProject' {
        $artifact = Get-WandbRun @api -Id fin0001a | Get-RunLoggedArtifact -Name model:latest
        $artifact.RunProject | Should -Be 'mnist-sweep'
        $artifact.RunEntity | Should -Be 'acme-ml'
        $row = @($artifact | Get-RunSummary @connection -Key accuracy)
        $row.RunId | Should -Be @('fin0001a')
        $row.RunPath | Should -Be @($null)
    }
}

Describe 'A stopped listing and the next one' {
    It 'leaves the next listing whole when the stop lands while a page is being read' {
        # The prefetched second page stops halfway through its body for a second; the listing is stopped during that
        # pause. By the time the next listing starts, the rest of that body has arrived: a read left running on the
        # cancelled answer, or its connection pooled again, would break the next answer (retried, or a raw .NET error).
        foreach ($fault in @{ kind = 'delay'; delayMs = 0 }, @{ kind = 'stalled-body'; delayMs = 1000 }) {
            $null = Invoke-RestMethod -Method Post -Uri "$url/_fake/faults" -Body ($fault | ConvertTo-Json) -ContentType 'application/json'
        }
        $stopped = Get-WandbRun @api -PageSize 3 | ForEach-Object { Start-Sleep -Milliseconds 150; $_ } | Select-Object -First 3
        $stopped | Should -HaveCount 3
        Start-Sleep -Milliseconds 1500
        $verbose = Get-WandbRun @api -PageSize 50 -Verbose -ErrorVariable failed 4>&1
        $failed | Should -BeNullOrEmpty
        @($verbose | Where-Object { $_ -is [WandbRunOps.Model.WandbRun] }) | Should -HaveCount 8
        $posts = @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'POST *' })
        $posts | Should -HaveCount 1
        $posts[0].Message | Should -Not -BeLike '*retr*'
        Invoke-RestMethod -Method Delete -Uri "$url/_fake/faults"
    }

    It 'completes every full listing after stopped ones, <Alternations> times in <Runspaces> runspace(s)' -TestCases @(
        @{ Runspaces = 1; Alternations = 200 }
        @{ Runspaces = 4; Alternations = 50 }
    ) -Skip:($PSVersionTable.PSEdition -eq 'Desktop') {
        # ForEach-Object -Parallel (PowerShell 7) gives each its own runspace, all sharing the module's HTTP client.
        # Each stopped listing lets the pipeline work a few ms on each run, so the stop lands at varied points of the
        # prefetched page (before it is sent, while its headers or its body arrive, after).
        $manifest = (Get-Module WandbRunOps).Path
        $results = 1..$Runspaces | ForEach-Object -ThrottleLimit $Runspaces -Parallel {
            $runspace = $_
            Import-Module $using:manifest
            $api = $using:api
            $random = [System.Random]::new($runspace)
            for ($i = 0; $i -lt $using:Alternations; $i++) {
                $pause = $random.Next(0, 8)
                $null = Get-WandbRun @api -PageSize 3 | ForEach-Object { Start-Sleep -Milliseconds $pause; $_ } | Select-Object -First 3
                try {
                    $count = @(Get-WandbRun @api -PageSize 50 -ErrorAction Stop).Count
                    if ($count -ne 8) { "listing $i in runspace ${runspace}: $count runs" }
                }
                catch { "listing $i in runspace ${runspace}: $($_.FullyQualifiedErrorId) $($_.Exception.Message)" }
            }
        }
        $results | Should -BeNullOrEmpty
    }
}

Describe 'A project larger than a listing remembers' {
    BeforeAll {
        # 10,050 runs the loopback server makes from their index (a FakeRunSeries: it holds none of them). The listing
        # remembers the last 10,000 ids to pass a run repeated by offset cursors on once, and no more: a longer listing
        # must still give every run once, in order.
        $bigKey = 'local-pesterbig0123456789abcdef0123456789abcd'
        $dataset = @{
            users    = @(@{ apiKey = $bigKey; username = 'ana'; defaultEntity = 'big-team' })
            projects = @(@{
                    entity = 'big-team'; name = 'many-runs'
                    series = @{
                        count    = 10050
                        template = @{
                            displayName = 'big'; state = 'finished'; createdAt = '2026-02-01T00:00:00Z'; heartbeatAt = '2026-02-01T00:01:00Z'
                            configJson  = '{"lr": {"value": 0.01, "desc": null}, "layers": {"value": 4, "desc": null}}'
                            summaryJson = '{"accuracy": 0.9, "_wandb": {"runtime": 60}}'
                        }
                    }
                })
        }
        $datasetPath = Join-Path $TestDrive 'big.json'
        $dataset | ConvertTo-Json -Depth 8 | Set-Content -LiteralPath $datasetPath
        # --data takes a saved dataset as well as a wandb folder; the dataset names its own entity, project and key.
        $script:bigServer = Start-FakeWandb -WandbFolder $datasetPath -ApiKey $bigKey -LogPath (Join-Path $TestDrive 'fakewandb-big.log')
        $script:big = @{ Entity = 'big-team'; Project = 'many-runs'; BaseUrl = $bigServer.Url; ApiKey = $bigServer.Key }
    }

    AfterAll {
        Stop-FakeWandb -Server $bigServer
    }

    It 'lists every one of 10,050 runs once, oldest first, 50 then 1,000 a page' {
        $output = Get-WandbRun @big -Verbose 4>&1
        $verbose = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'Runs big-team/many-runs page' })
        $runs = @($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $runs | Should -HaveCount 10050
        @($runs.Id | Select-Object -Unique) | Should -HaveCount 10050
        $runs[0].Id | Should -Be 's0000000'
        $runs[-1].Id | Should -Be 's0010049'
        $runs[-1].Name | Should -Be 'big-10049'
        $runs[-1].CreatedAt | Should -Be ([datetime]::new(2026, 2, 1, 2, 47, 29, 0, [System.DateTimeKind]::Utc))
        $runs[-1].Config.layers | Should -Be 4
        $verbose | Should -HaveCount 11
        $verbose[0].Message | Should -Match 'page 1: 50 run'
        $verbose[1].Message | Should -Match 'page 2: 1000 run'
    }
}

Describe 'Connect-Wandb' {
    It 'checks the key, sets the session defaults, and never shows the key' {
        $connection = Connect-Wandb -Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key
        $connection.Username | Should -Be 'ana'
        $connection.KeySource | Should -Be 'Parameter'
        ($connection | ConvertTo-Json) | Should -Not -BeLike "*$apiKey*"
        ($connection | Format-List * | Out-String) | Should -Not -BeLike "*$apiKey*"
        (Get-WandbConnection).Project | Should -Be 'mnist-sweep'
        @(Get-WandbRun) | Should -HaveCount 8
        Disconnect-Wandb
        Get-WandbConnection | Should -BeNullOrEmpty
    }
}

Describe 'Transport security' {
    It 'refuses plain http to a host that is not loopback, sending nothing, unless -AllowInsecure is given' {
        # The fake server doubles as the HTTP proxy: wandb.invalid is reachable only through -Proxy.
        $insecure = @{ Project = 'acme-ml/mnist-sweep'; BaseUrl = 'http://wandb.invalid:8080'; ApiKey = $key; Proxy = $url }
        $caught = $null
        try { Get-WandbRun @insecure } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'WandbInsecureConnection,*'
        $caught.CategoryInfo.Category | Should -Be 'SecurityError'
        $caught.Exception.Message | Should -BeLike '*-AllowInsecure*'
        @(Get-WandbRun @insecure -AllowInsecure) | Should -HaveCount 8
    }

    It 'withholds the key and its Basic header when an error page repeats the request' {
        $basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("api:$apiKey"))
        $fault = @{ kind = 'status'; status = 401; contentType = 'text/html'; body = '<html><head><title>401 {authorization} {credentials}</title></head></html>' } | ConvertTo-Json
        $null = Invoke-RestMethod -Method Post -Uri "$url/_fake/faults" -Body $fault -ContentType 'application/json'
        $caught = $null
        try { Get-WandbRun @api } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'WandbAuthenticationFailed,*'
        $caught.Exception.Message.Contains('[API key withheld]') | Should -BeTrue
        $shown = ($caught | Out-String) + ($caught | ConvertTo-Json -Depth 2 -WarningAction SilentlyContinue) + $caught.Exception.ToString()
        $shown.Contains($apiKey) | Should -BeFalse
        $shown.Contains($basic) | Should -BeFalse
    }

    It 'takes -ApiKey only as a SecureString and does not echo a plain string' {
        (Get-Command Connect-Wandb).Parameters['ApiKey'].ParameterType | Should -Be ([System.Security.SecureString])
        $caught = $null
        try { Connect-Wandb -BaseUrl $url -ApiKey $apiKey } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        ($caught | Out-String).Contains($apiKey) | Should -BeFalse
    }
}

Describe 'Hostile answers' {
    BeforeAll {
        # Runs one Get-WandbRun in a new PowerShell process, killed after 30 s, so that an answer that is never cut
        # off fails this test instead of hanging or exhausting the machine. The process reports the error it caught,
        # how long the command took and what it allocated.
        function Invoke-BoundedListing([string] $Arguments) {
            $script = Join-Path $TestDrive 'listing.ps1'
            Set-Content -LiteralPath $script -Value @"
Import-Module '$WandbRunOpsManifest'
`$key = ConvertTo-SecureString '$apiKey' -AsPlainText -Force
`$caught = `$null
`$before = [GC]::GetTotalAllocatedBytes(`$true)
`$clock = [Diagnostics.Stopwatch]::StartNew()
try { `$null = Get-WandbRun -Project mnist-sweep -Entity acme-ml -BaseUrl '$url' -ApiKey `$key $Arguments } catch { `$caught = `$_ }
[pscustomobject]@{
    Id = `$caught.FullyQualifiedErrorId; Category = "`$(`$caught.CategoryInfo.Category)"; Message = `$caught.Exception.Message
    Seconds = `$clock.Elapsed.TotalSeconds; AllocatedMB = ([GC]::GetTotalAllocatedBytes(`$true) - `$before) / 1MB
} | ConvertTo-Json -Compress
"@
            $pwsh = Get-PowerShellCommand
            $start = [Diagnostics.ProcessStartInfo]::new($pwsh.FilePath)
            foreach ($argument in @($pwsh.Arguments) + @('-NoProfile', '-NonInteractive', '-File', $script)) { $start.ArgumentList.Add($argument) }
            $start.RedirectStandardOutput = $true
            $start.UseShellExecute = $false
            $process = [Diagnostics.Process]::Start($start)
            $output = $process.StandardOutput.ReadToEndAsync()
            if (-not $process.WaitForExit(30000)) {
                $process.Kill($true)
                throw "Get-WandbRun $Arguments was still running after 30 s."
            }

            $output.Result | ConvertFrom-Json
        }

        function Add-Fault([hashtable] $Fault) {
            $null = Invoke-RestMethod -Method Post -Uri "$url/_fake/faults" -Body ($Fault | ConvertTo-Json) -ContentType 'application/json'
        }
    }

    AfterEach {
        Invoke-RestMethod -Method Delete -Uri "$url/_fake/faults"
    }

    It 'ends a 200 whose body never ends within -TimeoutSec 2 and bounded memory, as a catalogue error' {
        # Whichever comes first: the 256 MiB limit (WandbProtocolError) or the time-out (WandbConnectionFailed).
        Add-Fault @{ kind = 'endless-body' }
        $result = Invoke-BoundedListing '-TimeoutSec 2 -MaximumRetryCount 0'
        $result.Id | Should -BeIn @('WandbProtocolError,WandbRunOps.Commands.GetWandbRunCommand', 'WandbConnectionFailed,WandbRunOps.Commands.GetWandbRunCommand')
        $result.Message | Should -Match '256 MiB limit|no answer within 2 s'
        $result.Seconds | Should -BeLessThan 5
        $result.AllocatedMB | Should -BeLessThan 700
    }

    It 'refuses a body that goes on past 256 MiB as WandbProtocolError, without a retry and without reading on' {
        Add-Fault @{ kind = 'endless-body'; times = 4 }
        $result = Invoke-BoundedListing '-TimeoutSec 25 -MaximumRetryCount 3'
        $result.Id | Should -Be 'WandbProtocolError,WandbRunOps.Commands.GetWandbRunCommand'
        $result.Message | Should -BeLike '*after 1 attempt: the answer went on past the 256 MiB limit*not retried*'
        $result.AllocatedMB | Should -BeLessThan 700
    }

    It 'refuses an answer that announces a huge Content-Length at once, without reading it' {
        Add-Fault @{ kind = 'huge-content-length' }
        $result = Invoke-BoundedListing '-TimeoutSec 2 -MaximumRetryCount 3'
        $result.Id | Should -Be 'WandbProtocolError,WandbRunOps.Commands.GetWandbRunCommand'
        $result.Category | Should -Be 'ProtocolError'
        $result.Message | Should -BeLike '*announces 1,048,576 MiB (Content-Length), more than the 256 MiB limit*not retried*'
        $result.Seconds | Should -BeLessThan 2
        $result.AllocatedMB | Should -BeLessThan 64
    }

    It 'retries gzip that is not gzip, and reports it as WandbProtocolError once the retries are spent' {
        Add-Fault @{ kind = 'invalid-gzip' }
        $runs = Get-WandbRun @api -RetryIntervalSec 0.01 -ErrorVariable failed
        $failed | Should -BeNullOrEmpty
        $runs | Should -HaveCount 8

        Add-Fault @{ kind = 'invalid-gzip'; times = 2 }
        $caught = $null
        try { Get-WandbRun @api -RetryIntervalSec 0.01 -MaximumRetryCount 1 } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'WandbProtocolError,*'
        $caught.CategoryInfo.Category | Should -Be 'ProtocolError'
        $caught.Exception.Message | Should -BeLike '*failed after 2 attempts*not valid gzip or deflate*'
    }
}

Describe 'System.Text.Json, which writes every request body' {
    BeforeAll {
        $null = Get-WandbRun @api -First 1
        $script:json = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { -not $_.IsDynamic -and $_.GetName().Name -eq 'System.Text.Json' }
        $script:moduleBin = Join-Path (Get-Module WandbRunOps).ModuleBase 'bin'
    }

    It 'is loaded once' {
        @($json) | Should -HaveCount 1
    }

    It 'comes from bin/desktop on Windows PowerShell 5.1' -Skip:($PSVersionTable.PSEdition -ne 'Desktop') {
        Split-Path $json.Location | Should -Be (Join-Path $moduleBin 'desktop')
    }

    It 'is the runtime''s own copy on PowerShell 7' -Skip:($PSVersionTable.PSEdition -eq 'Desktop') {
        $json.Location | Should -Not -BeLike "$moduleBin*"
        $json.GetName().Version | Should -BeGreaterOrEqual ([version]'8.0.0.0')
    }
}
