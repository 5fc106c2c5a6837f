# Get-WandbProject as a user sees it: the sample runs' project (acme-ml/mnist-sweep, 8 runs, the offline one included)
# from the run folders and from the loopback server holding the same runs.

BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/RunChanges.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    Start-ChangeServer -WandbFolder $wandb
    $script:server = @{ BaseUrl = $url; ApiKey = $script:server.Key; Server = $script:server }
}

AfterAll {
    Stop-FakeWandb -Server $server.Server
}

Describe 'Get-WandbProject' {
    It 'gives the same project from the folders and from the server' {
        $local = Get-WandbProject -Path $wandb
        $remote = Get-WandbProject -BaseUrl $server.BaseUrl -ApiKey $server.ApiKey -Entity acme-ml
        "$local" | Should -Be 'acme-ml/mnist-sweep'
        "$remote" | Should -Be 'acme-ml/mnist-sweep'
        $local.RunCount | Should -Be 8
        $remote.RunCount | Should -Be 8
        $local.CreatedAt | Should -Be $remote.CreatedAt
        $local.LastActiveAt | Should -Be $remote.LastActiveAt
    }

    It 'lists the projects of ./wandb when no server is named, in a table that fits 80 columns' {
        Push-Location (Split-Path -Parent $wandb)
        try { $text = Out-UserText -InputObject @(Get-WandbProject) -Width 80 }
        finally { Pop-Location }
        $lines = @($text -split "`r?`n" | Where-Object { $_.Trim() })
        (-split $lines[0]) -join ',' | Should -BeExactly 'Entity,Name,RunCount,CreatedAt,LastActiveAt'
        $lines[2] | Should -Match '^acme-ml\s+mnist-sweep\s+8\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$'
        Assert-NoTypeName $text
    }

    It 'feeds Get-WandbRun through its entity/name text' {
        $project = Get-WandbProject -BaseUrl $server.BaseUrl -ApiKey $server.ApiKey -Entity acme-ml -Name mnist*
        @(Get-WandbRun -Project "$project" -BaseUrl $server.BaseUrl -ApiKey $server.ApiKey).Count | Should -Be $project.RunCount
    }

    It 'reports a name that matches no project, and writes CSV without type names' {
        $out = @(Get-WandbProject -Path $wandb -Name nope, mnist-sweep -ErrorVariable problems -ErrorAction SilentlyContinue)
        $out.Name | Should -Be 'mnist-sweep'
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WandbProjectNotFound,*'
        $problems[0].TargetObject | Should -Be 'nope'
        Assert-NoTypeName ($out | ConvertTo-Csv | Out-String)
    }
}
